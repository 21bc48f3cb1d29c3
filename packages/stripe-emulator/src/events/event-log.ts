import type Stripe from 'stripe';
import type { AccountStore } from '../account-store';
import { stripeObjectId } from '../object-ids';
import type { ChangeSet } from './change-set';
import { eventTypesOf, previousAttributes } from './event-types';

/** The API version events are rendered in: the one the pinned SDK speaks. */
export const EVENTS_API_VERSION = '2026-10-28.endive';

/** The request that caused a change: null for what happens without one (a test clock, a customer on a hosted page). */
export interface CausingRequest {
  id: string | null;
  idempotencyKey: string | null;
}

type Node = Record<string, unknown>;

/**
 * Turns what a request changed into Events, in the order the objects were touched, keeps them (the newest
 * `retention` per account and mode, as Stripe keeps 30 days) and returns the new ones for delivery.
 */
export function recordEvents(store: AccountStore, changes: ChangeSet, request: CausingRequest, now: number, retention: number): Stripe.Event[] {
  const events: Stripe.Event[] = [];
  const add = (type: string, object: Node, previous?: Node) => {
    const event = {
      id: stripeObjectId('evt'),
      object: 'event',
      api_version: EVENTS_API_VERSION,
      created: now,
      data: { object: structuredClone(object), ...(previous ? { previous_attributes: previous } : {}) },
      livemode: store.livemode,
      pending_webhooks: 0,
      request: { id: request.id, idempotency_key: request.idempotencyKey },
      type,
    } as unknown as Stripe.Event;
    store.events.set(event.id, event);
    events.push(event);
  };
  for (const [id, beforeJson] of changes.entries()) {
    const before = beforeJson === undefined ? undefined : (JSON.parse(beforeJson) as Node);
    const after = store.find(id) as Node | undefined;
    if (after === undefined) {
      if (before?.['object'] === 'invoice') add('invoice.deleted', before);
      continue;
    }
    if (beforeJson !== undefined && beforeJson === JSON.stringify(after)) continue;
    for (const type of eventTypesOf(store, before, after)) {
      add(type, after, before && !type.endsWith('.created') ? previousAttributes(before, after) : undefined);
    }
  }
  forgetOldest(store, retention);
  return events;
}

function forgetOldest(store: AccountStore, retention: number): void {
  const excess = store.events.size - retention;
  if (excess <= 0) return;
  const forgotten = [...store.events.keys()].slice(0, excess);
  for (const id of forgotten) store.events.delete(id);
  const gone = new Set(forgotten);
  for (const key of store.deliveries.keys()) if (gone.has(key.slice(0, key.indexOf('/')))) store.deliveries.delete(key);
}
