import type Stripe from 'stripe';
import { invalidRequest, noSuch } from '../emulator-errors';
import { PAGE_PARAMS, listPage } from '../list-pages';
import { Params } from '../params';
import type { Route, RouteContext } from '../route';
import { newWebhookSecret } from '../webhooks/signature';

function endpointOf({ store, ids }: RouteContext): Stripe.WebhookEndpoint {
  const endpoint = store.webhookEndpoints.get(ids[0]!);
  if (!endpoint) throw noSuch('webhook endpoint', ids[0]!);
  return endpoint;
}

function url(params: Params): string {
  const value = params.requiredString('url');
  if (!/^https?:\/\/[^\s/]+/.test(value)) throw invalidRequest(`Invalid URL: ${value}`, { param: 'url', code: 'url_invalid' });
  return value;
}

function enabledEvents(params: Params): string[] {
  const events = params.strings('enabled_events');
  if (events.length === 0) {
    throw invalidRequest('Missing required param: enabled_events.', { code: 'parameter_missing', param: 'enabled_events' });
  }
  return events;
}

function createEndpoint({ store, values, now }: RouteContext) {
  const params = new Params(values, ['url', 'enabled_events', 'description', 'metadata', 'api_version']);
  const endpoint = store.put(store.webhookEndpoints, {
    id: store.base('we', now).id,
    object: 'webhook_endpoint',
    api_version: params.string('api_version') ?? null,
    application: null,
    created: now,
    description: params.string('description') ?? null,
    enabled_events: enabledEvents(params),
    livemode: store.livemode,
    metadata: params.metadata(),
    status: 'enabled',
    url: url(params),
  });
  const secret = newWebhookSecret();
  store.webhookSecrets.set(endpoint.id, secret);
  return { ...endpoint, secret };
}

function updateEndpoint(context: RouteContext): Stripe.WebhookEndpoint {
  const endpoint = context.store.touch(endpointOf(context));
  const params = new Params(context.values, ['url', 'enabled_events', 'description', 'metadata', 'disabled']);
  if (params.has('url')) endpoint.url = url(params);
  if (params.has('enabled_events')) endpoint.enabled_events = enabledEvents(params);
  if (params.has('description')) endpoint.description = params.string('description') ?? null;
  if (params.has('metadata')) endpoint.metadata = { ...endpoint.metadata, ...params.metadata() };
  if (params.has('disabled')) endpoint.status = params.boolean('disabled') ? 'disabled' : 'enabled';
  return endpoint;
}

export const webhookEndpointRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/webhook_endpoints$/, operation: 'webhook_endpoint.create', returns: 'webhook_endpoint', handle: createEndpoint },
  {
    method: 'GET', pattern: /^\/v1\/webhook_endpoints$/, operation: 'webhook_endpoint.list', returns: 'list:webhook_endpoint',
    handle: ({ store, values }) =>
      listPage(store.webhookEndpoints.values(), new Params(values, PAGE_PARAMS), { url: '/v1/webhook_endpoints', kind: 'webhook_endpoint' }),
  },
  { method: 'GET', pattern: /^\/v1\/webhook_endpoints\/([^/]+)$/, operation: 'webhook_endpoint.retrieve', returns: 'webhook_endpoint', handle: endpointOf },
  { method: 'POST', pattern: /^\/v1\/webhook_endpoints\/([^/]+)$/, operation: 'webhook_endpoint.update', returns: 'webhook_endpoint', handle: updateEndpoint },
  {
    method: 'DELETE', pattern: /^\/v1\/webhook_endpoints\/([^/]+)$/, operation: 'webhook_endpoint.delete', returns: 'webhook_endpoint',
    handle: (context) => {
      const endpoint = endpointOf(context);
      context.store.webhookEndpoints.delete(endpoint.id);
      context.store.webhookSecrets.delete(endpoint.id);
      return { id: endpoint.id, object: 'webhook_endpoint', deleted: true };
    },
  },
];
