import type Stripe from 'stripe';
import { invalidRequest, noSuch } from '../emulator-errors';
import { PAGE_PARAMS, listPage } from '../list-pages';
import { Params } from '../params';
import type { Route, RouteContext } from '../route';

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
  const params = new Params(values, ['type', 'types', 'created', 'delivery_success', ...PAGE_PARAMS]);
  const byType = typeFilter(params);
  const byCreated = params.timeRange('created');
  const delivered = params.boolean('delivery_success');
  const matches = (event: Stripe.Event) =>
    byType(event.type) && byCreated(event.created) && (delivered === undefined || (event.pending_webhooks === 0) === delivered);
  return listPage(store.events.values(), params, { url: '/v1/events', kind: 'event', matches });
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
