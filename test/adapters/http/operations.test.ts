import { readFileSync } from 'node:fs';
import path from 'node:path';
import { printedSchema } from '../../../adapters/http/graphql/schema';
import { KEYS, STRIPE_KEYS, TENANTS, body } from '../../support/world';
import { CREDENTIALS, MUTATION, buildHttpWorld } from './http-world';

describe('operations', () => {
  it('answers /healthz always and /readyz by whether the database answers', async () => {
    const world = buildHttpWorld();
    expect((await world.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await world.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    world.setReady(false);
    const notReady = await world.app.inject({ method: 'GET', url: '/readyz' });
    expect([notReady.statusCode, notReady.json()]).toEqual([503, { status: 'database unreachable' }]);
  });

  it('exports request latency by route and status, and invoice outcomes, for Prometheus', async () => {
    const world = buildHttpWorld();
    await world.app.inject({ method: 'POST', url: `/api/v1/tenants/${TENANTS.pays}/stripe-invoices`, headers: CREDENTIALS, payload: body() });
    await world.app.inject({ method: 'POST', url: `/api/v1/tenants/${TENANTS.declines}/stripe-invoices`, headers: CREDENTIALS, payload: body() });
    const metrics = await world.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.body).toContain('http_request_duration_seconds_count{method="POST",route="/api/v1/tenants/:tenantId/stripe-invoices",status="201"} 1');
    expect(metrics.body).toContain('http_request_duration_seconds_count{method="POST",route="/api/v1/tenants/:tenantId/stripe-invoices",status="402"} 1');
    expect(metrics.body).toContain('invoice_outcomes_total{outcome="succeeded",mode="payment"} 1');
    expect(metrics.body).toContain('invoice_outcomes_total{outcome="PAYMENT_DECLINED",mode="payment"} 1');
  });

  it('logs requests as JSON with request ids, and never a key', async () => {
    const world = buildHttpWorld();
    await world.app.inject({ method: 'POST', url: `/api/v1/tenants/${TENANTS.pays}/stripe-invoices`, headers: CREDENTIALS, payload: body() });
    await world.app.inject({ method: 'POST', url: '/graphql', headers: { ...CREDENTIALS, 'content-type': 'application/json' }, payload: { query: MUTATION, variables: { tenantId: TENANTS.pays, input: body() } } });
    expect(world.logs.length).toBeGreaterThan(3);
    const lines = world.logs.map((line) => JSON.parse(line) as { reqId?: string });
    expect(lines.filter((line) => line.reqId).length).toBeGreaterThan(3);
    const all = world.logs.join('\n');
    for (const secret of [KEYS.write, STRIPE_KEYS.live, STRIPE_KEYS.test, 'client_secret', '_secret_']) expect(all).not.toContain(secret);
  });
});

describe('docs', () => {
  it('serves an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const world = buildHttpWorld();
    const document = (await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(document.openapi).toBe('3.1.0');
    const operation = document.paths['/api/v1/tenants/{tenantId}/stripe-invoices'].post;
    const schema = operation.requestBody.content['application/json'].schema;
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required.sort()).toEqual(['mode', 'price', 'quantity', 'taxRate', 'userId']);
    expect(schema.properties.quantity).toMatchObject({ type: 'integer', minimum: 1, maximum: 10_000 });
    expect(schema.properties.mode.enum).toEqual(['payment', 'subscription']);
    expect(Object.keys(operation.responses).sort()).toEqual(['201', '400', '401', '402', '403', '409', '413', '415', '422', '429', '500', '502', '503']);
    expect(operation.responses['402'].description).toContain('PAYMENT_DECLINED, NO_PAYMENT_METHOD');
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(['tenantId', 'X-API-KEY', 'X-API-KEY-TYPE', 'X-CLIENT-ID', 'Idempotency-Key']);
    expect(document.paths['/v1/tenants/{tenantId}/stripe-invoices'].post.operationId).toBe('createStripeInvoiceV1');
  });

  it('describes the read side: list, get and preview, with their parameters and answers', async () => {
    const world = buildHttpWorld();
    const document = (await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const list = document.paths['/api/v1/tenants/{tenantId}/stripe-invoices'].get;
    expect(list.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      ['tenantId', 'X-API-KEY', 'X-API-KEY-TYPE', 'X-CLIENT-ID', 'test', 'userId', 'status', 'limit', 'startingAfter', 'endingBefore'],
    );
    expect(list.responses['200'].content['application/json'].schema.properties.data.properties.invoices.items.properties.paymentStatus.enum).toContain('requires_action');
    const get = document.paths['/api/v1/tenants/{tenantId}/stripe-invoices/{invoiceId}'].get;
    expect(Object.keys(get.responses)).toContain('404');
    const preview = document.paths['/v1/tenants/{tenantId}/stripe-invoices/preview'].post;
    expect(preview.operationId).toBe('previewStripeInvoiceV1');
    expect(preview.responses['200'].content['application/json'].schema.properties.data.properties.preview.required).toContain('total');
  });

  it("describes the app's webhook endpoints: add with a write key (the secret in that answer only), list, remove", async () => {
    const world = buildHttpWorld();
    const document = (await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const add = document.paths['/api/v1/webhook-endpoints'].post;
    expect(add.requestBody.content['application/json'].schema.required).toEqual(['url']);
    expect(add.requestBody.content['application/json'].schema.properties.events.items.enum).toContain('invoice.payment_action_required');
    expect(add.responses['201'].content['application/json'].schema.properties.data.required).toEqual(['endpoint', 'secret']);
    const list = document.paths['/api/v1/webhook-endpoints'].get;
    expect(list.responses['200'].content['application/json'].schema.properties.data.properties.endpoints.items.properties).not.toHaveProperty('secret');
    expect(Object.keys(document.paths['/api/v1/webhook-endpoints/{endpointId}'].delete.responses)).toContain('404');
  });

  it('serves a browsable API reference without any CDN', async () => {
    const world = buildHttpWorld();
    const page = await world.app.inject({ method: 'GET', url: '/api/v1/docs' });
    expect(page.body).toContain('/api/v1/openapi.json');
    expect(page.body).not.toMatch(/https?:\/\//);
    const bundle = await world.app.inject({ method: 'GET', url: '/api/v1/docs/swagger-ui-bundle.js' });
    expect([bundle.statusCode, bundle.headers['content-type']]).toEqual([200, expect.stringContaining('javascript')]);
    expect((await world.app.inject({ method: 'GET', url: '/api/v1/docs/..%2Fpackage.json' })).statusCode).toBe(404);
  });

  it('has schema.graphql generated from the code (run `npm run schema` after changing the schema)', () => {
    const committed = readFileSync(path.resolve(__dirname, '../../../schema.graphql'), 'utf8');
    expect(committed).toBe(printedSchema());
  });
});
