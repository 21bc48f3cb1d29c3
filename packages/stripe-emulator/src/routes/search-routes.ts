import { invalidRequest } from '../emulator-errors';
import { Params } from '../params';
import type { Route, RouteContext } from '../route';

/** `metadata['key']:'value'`, the one form of Stripe's search query language the emulator understands. */
function metadataQuery(query: string): { key: string; value: string } {
  const match = /^metadata\['([^']+)'\]:'([^']*)'$/.exec(query.trim());
  if (!match) throw invalidRequest(`The emulator only searches metadata['key']:'value', not: ${query}`, { param: 'query' });
  return { key: match[1]!, value: match[2]! };
}

function search<T extends { metadata: Record<string, string> | null; created: number }>(collection: Iterable<T>, context: RouteContext, url: string) {
  const params = new Params(context.values, ['query', 'limit', 'page']);
  const { key, value } = metadataQuery(params.requiredString('query'));
  const limit = params.integer('limit') ?? 10;
  const data = [...collection].filter((object) => object.metadata?.[key] === value).sort((a, b) => b.created - a.created);
  return { object: 'search_result' as const, data: data.slice(0, limit), has_more: data.length > limit, next_page: null, url };
}

export const searchRoutes: Route[] = [
  {
    method: 'GET', pattern: /^\/v1\/invoices\/search$/, operation: 'invoice.search', returns: 'list:invoice',
    handle: (context) => search(context.store.invoices.values(), context, '/v1/invoices/search'),
  },
  {
    method: 'GET', pattern: /^\/v1\/subscriptions\/search$/, operation: 'subscription.search', returns: 'list:subscription',
    handle: (context) => search(context.store.subscriptions.values(), context, '/v1/subscriptions/search'),
  },
];
