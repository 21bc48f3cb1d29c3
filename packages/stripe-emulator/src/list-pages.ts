import { invalidRequest, noSuch } from './emulator-errors';
import type { Params } from './params';

/** The parameters every Stripe list takes. */
export const PAGE_PARAMS = ['limit', 'starting_after', 'ending_before'] as const;

export interface ListPage<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** What a list orders by: an object's `created`, or an invoice item's `date` (it has no `created`). */
export type Listed = { id: string } & ({ created: number } | { date: number });

function createdOf(object: Listed): number {
  return 'created' in object ? object.created : object.date;
}

/** Newest first; among equals, the later stored first (a Map keeps the order objects were stored in). */
function newestFirst<T extends Listed>(objects: Iterable<T>): T[] {
  return [...objects].reverse().sort((a, b) => createdOf(b) - createdOf(a));
}

function limitOf(params: Params): number {
  const limit = params.integer('limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('Limit must be between 1 and 100.', { param: 'limit' });
  return limit;
}

/**
 * One page of a Stripe list: `limit` objects (1–100, default 10) newest first that pass `matches`, after the
 * `starting_after` object or before the `ending_before` one (each page still newest first, as Stripe answers it).
 */
export function listPage<T extends Listed>(
  objects: Iterable<T>,
  params: Params,
  page: { url: string; kind: string; matches?: (object: T) => boolean },
): ListPage<T> {
  const limit = limitOf(params);
  const after = params.string('starting_after');
  const before = params.string('ending_before');
  if (after !== undefined && before !== undefined) {
    throw invalidRequest('You may only specify one of these parameters: ending_before, starting_after.');
  }
  const ordered = newestFirst(objects);
  const positionOf = (id: string, param: string) => {
    const index = ordered.findIndex((object) => object.id === id);
    if (index < 0) throw noSuch(page.kind, id, param);
    return index;
  };
  const matches = page.matches ?? (() => true);
  if (before !== undefined) {
    const newer = ordered.slice(0, positionOf(before, 'ending_before')).filter(matches);
    return { object: 'list', data: newer.slice(-limit), has_more: newer.length > limit, url: page.url };
  }
  const older = ordered.slice(after === undefined ? 0 : positionOf(after, 'starting_after') + 1).filter(matches);
  return { object: 'list', data: older.slice(0, limit), has_more: older.length > limit, url: page.url };
}
