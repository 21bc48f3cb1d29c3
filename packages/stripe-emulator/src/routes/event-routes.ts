import type Stripe from 'stripe';
import { invalidRequest, noSuch } from '../emulator-errors';
import { Params } from '../params';
import type { Route, RouteContext } from '../route';

const RANGE = ['gt', 'gte', 'lt', 'lte'] as const;

/** `created`: an exact time or a range (`created[gte]=…`), as Stripe's list endpoints take it. */
function createdFilter(params: Params): (created: number) => boolean {
  if (!params.has('created')) return () => true;
  const range = params.nested('created', RANGE);
  if (!range) {
    const exact = params.integer('created');
    return (created) => created === exact;
  }
  const [gt, gte, lt, lte] = RANGE.map((bound) => range.integer(bound));
  return (created) =>
    (gt === undefined || created > gt) && (gte === undefined || created >= gte) && (lt === undefined || created < lt) && (lte === undefined || created <= lte);
}

/** `type` may end in `*` (`invoice.*`), as Stripe allows. */
function typeFilter(params: Params): (type: string) => boolean {
  const single = params.string('type');
  const many = params.strings('types');
  if (single !== undefined && many.length > 0) throw invalidRequest('You may only specify one of these parameters: type, types.');
  if (many.length > 20) throw invalidRequest('You may pass at most 20 types.', { param: 'types' });
  const patterns = single !== undefined ? [single] : many;
  if (patterns.length === 0) return () => true;
  return (type) => patterns.some((pattern) => (pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : type === pattern));
}

function listEvents({ store, values }: RouteContext) {
  const params = new Params(values, ['type', 'types', 'created', 'delivery_success', 'limit', 'starting_after', 'ending_before']);
  const limit = params.integer('limit') ?? 10;
  if (limit < 1 || limit > 100) throw invalidRequest('Limit must be between 1 and 100.', { param: 'limit' });
  const byType = typeFilter(params);
  const byCreated = createdFilter(params);
  const delivered = params.boolean('delivery_success');
  const matches = (event: Stripe.Event) =>
    byType(event.type) && byCreated(event.created) && (delivered === undefined || (event.pending_webhooks === 0) === delivered);
  const newestFirst = [...store.events.values()].reverse();
  const after = params.string('starting_after');
  const before = params.string('ending_before');
  const at = (id: string) => {
    const index = newestFirst.findIndex((event) => event.id === id);
    if (index < 0) throw noSuch('event', id);
    return index;
  };
  let data: Stripe.Event[];
  let hasMore: boolean;
  if (before !== undefined) {
    const newer = newestFirst.slice(0, at(before)).filter(matches);
    data = newer.slice(-limit);
    hasMore = newer.length > limit;
  } else {
    const older = newestFirst.slice(after === undefined ? 0 : at(after) + 1).filter(matches);
    data = older.slice(0, limit);
    hasMore = older.length > limit;
  }
  return { object: 'list' as const, data, has_more: hasMore, url: '/v1/events' };
}

export const eventRoutes: Route[] = [
  { method: 'GET', pattern: /^\/v1\/events$/, operation: 'event.list', returns: 'list:event', handle: listEvents },
  {
    method: 'GET', pattern: /^\/v1\/events\/([^/]+)$/, operation: 'event.retrieve', returns: 'event',
    handle: ({ store, ids }) => {
      const event = store.events.get(ids[0]!);
      if (!event) throw noSuch('event', ids[0]!);
      return event;
    },
  },
];
