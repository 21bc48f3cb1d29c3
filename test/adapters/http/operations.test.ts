import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { printedSchema } from '../../../adapters/http/graphql/schema';
import { buildHttpServer } from '../../../adapters/http/http-server';
import { PrometheusMetrics } from '../../../adapters/http/prometheus-metrics';
import type { DocsSetup } from '../../../adapters/http/rest/docs-routes';
import { STATIC_EXAMPLES } from '../../../adapters/http/rest/openapi';
import { invoiceRequestFrom } from '../../../application/create-stripe-invoice-input';
import { APP, KEYS, PRICES, STRIPE_KEYS, TAX_RATES, TENANTS, USER, body, buildWorld } from '../../support/world';
import { CREDENTIALS, MUTATION, buildHttpWorld } from './http-world';

/** A docs setup as local mode passes it (the fake world's credentials and ids stand in for local mode's). */
const LOCAL_DOCS: DocsSetup = {
  credentials: { 'X-API-KEY': KEYS.write, 'X-API-KEY-TYPE': 'write', 'X-CLIENT-ID': APP },
  examples: { tenantId: TENANTS.pays, createBody: { price: PRICES.oneTime, taxRate: TAX_RATES.vat, mode: 'payment', quantity: 1, userId: USER, test: true } },
};

/** The HTTP server given local mode's docs setup, as local mode (production false) or as production would be given it. */
function serverWithDocs(production: boolean) {
  const world = buildWorld();
  return buildHttpServer({
    useCases: world.useCases, metrics: new PrometheusMetrics(), ready: async () => true, production, logger: pino({ level: 'silent' }), docs: LOCAL_DOCS,
  });
}

type Operation = { operationId: string; parameters?: { name: string; in: string }[]; security?: Record<string, string[]>[] };
const operationsOf = (document: { paths: Record<string, Record<string, Operation>> }) =>
  Object.values(document.paths).flatMap((item) => Object.values(item));

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

describe('the index of local mode', () => {
  it('answers / and /api/v1 with links: a page for browsers, the envelope for the rest; production has none', async () => {
    const world = buildHttpWorld();
    for (const url of ['/', '/api/v1']) {
      const json = await world.app.inject({ method: 'GET', url });
      expect(json.statusCode).toBe(200);
      expect(json.json()).toMatchObject({ success: true, error: null, data: { links: expect.arrayContaining([{ rel: 'docs', href: '/api/v1/docs', title: expect.any(String) }]) } });
      const page = await world.app.inject({ method: 'GET', url, headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(page.headers['content-type']).toContain('text/html');
      for (const href of ['/api/v1/docs', '/graphql', '/healthz']) expect(page.body).toContain(`href="${href}"`);
    }
    const production = buildHttpWorld({ production: true });
    expect((await production.app.inject({ method: 'GET', url: '/' })).json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
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
    // The credentials are security schemes (Swagger UI's Authorize), not parameters it would ask for again.
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(['tenantId', 'Idempotency-Key']);
    expect(operation.security).toEqual([{ 'X-API-KEY': [], 'X-API-KEY-TYPE': [], 'X-CLIENT-ID': [] }]);
    expect(document.paths['/v1/tenants/{tenantId}/stripe-invoices'].post.operationId).toBe('createStripeInvoiceV1');
  });

  it('describes the read side: list, get and preview, with their parameters and answers', async () => {
    const world = buildHttpWorld();
    const document = (await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const list = document.paths['/api/v1/tenants/{tenantId}/stripe-invoices'].get;
    expect(list.parameters.map((parameter: { name: string }) => parameter.name)).toEqual(
      ['tenantId', 'test', 'userId', 'status', 'limit', 'startingAfter', 'endingBefore'],
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

  it('declares the three credential headers as API-key security schemes, required by every operation an app calls and by no other', async () => {
    const world = buildHttpWorld();
    const document = (await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    expect(document.components.securitySchemes).toEqual({
      'X-API-KEY': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-KEY' }),
      'X-API-KEY-TYPE': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-KEY-TYPE' }),
      'X-CLIENT-ID': expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-CLIENT-ID' }),
    });
    expect(document).not.toHaveProperty('security');
    const operations = operationsOf(document);
    expect(operations).toHaveLength(12);
    for (const operation of operations) {
      const names = (operation.parameters ?? []).map((parameter) => parameter.name.toLowerCase());
      expect([operation.operationId, names.filter((name) => name.startsWith('x-'))]).toEqual([operation.operationId, []]);
      const expected = operation.operationId === 'receiveStripeWebhook' ? [] : [{ 'X-API-KEY': [], 'X-API-KEY-TYPE': [], 'X-CLIENT-ID': [] }];
      expect([operation.operationId, operation.security]).toEqual([operation.operationId, expected]);
    }
    // Stripe's deliveries are signed, not authorized: the webhook receiver takes no app credentials.
    const webhook = await world.app.inject({ method: 'POST', url: `/api/v1/stripe/webhooks/${APP}/test`, headers: { 'content-type': 'application/json' }, payload: {} });
    expect(webhook.statusCode).toBe(400);
  });

  it('shows a static example body in production that the one schema accepts, with ids of the real shapes', async () => {
    const world = buildHttpWorld({ production: true });
    const document = (await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const create = document.paths['/api/v1/tenants/{tenantId}/stripe-invoices'].post;
    const example = create.requestBody.content['application/json'].example;
    expect(example).toEqual(STATIC_EXAMPLES.createBody);
    expect(example).toMatchObject({ price: expect.stringMatching(/^price_/), taxRate: expect.stringMatching(/^txr_/), mode: 'payment', quantity: 1, test: true });
    const tenantId = create.parameters.find((parameter: { name: string }) => parameter.name === 'tenantId').example;
    expect(invoiceRequestFrom(tenantId, example)).toMatchObject({ tenantId, priceId: example.price, userId: example.userId, test: true });
    expect(document.paths['/api/v1/tenants/{tenantId}/stripe-invoices/preview'].post.requestBody.content['application/json'].example).toEqual(example);
  });

  it("local mode's reference is authorized with the local credentials and its examples are the local tenant and ids; production never serves them", async () => {
    const local = serverWithDocs(false);
    const document = (await local.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const create = document.paths['/api/v1/tenants/{tenantId}/stripe-invoices'].post;
    expect(create.requestBody.content['application/json'].example).toEqual(LOCAL_DOCS.examples.createBody);
    expect(create.parameters.find((parameter: { name: string }) => parameter.name === 'tenantId').example).toBe(TENANTS.pays);
    const page = (await local.inject({ method: 'GET', url: '/api/v1/docs' })).body;
    for (const [scheme, value] of Object.entries(LOCAL_DOCS.credentials)) expect(page).toContain(`"${scheme}":"${value}"`);
    expect(page).toContain('preauthorizeApiKey');
    expect(page).not.toMatch(/https?:\/\//);
    // The example works as it stands: the create with the local credentials and the example body is a 201.
    const charged = await local.inject({
      method: 'POST', url: `/api/v1/tenants/${TENANTS.pays}/stripe-invoices`, headers: CREDENTIALS, payload: create.requestBody.content['application/json'].example,
    });
    expect(charged.statusCode).toBe(201);

    const production = serverWithDocs(true);
    const served = [(await production.inject({ method: 'GET', url: '/api/v1/openapi.json' })).body, (await production.inject({ method: 'GET', url: '/api/v1/docs' })).body].join('\n');
    for (const secret of [KEYS.write, APP, TENANTS.pays, USER, PRICES.oneTime]) expect(served).not.toContain(secret);
    expect(served).not.toContain('preauthorizeApiKey');
    expect(JSON.parse((await production.inject({ method: 'GET', url: '/api/v1/openapi.json' })).body).paths['/api/v1/tenants/{tenantId}/stripe-invoices'].post.requestBody.content['application/json'].example)
      .toEqual(STATIC_EXAMPLES.createBody);
  });

  it('documents the limits validation enforces: the largest footer and quantity are accepted, one more is refused', async () => {
    const world = buildHttpWorld();
    const document = (await world.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const properties = document.paths['/api/v1/tenants/{tenantId}/stripe-invoices'].post.requestBody.content['application/json'].schema.properties;
    const create = (overrides: Record<string, unknown>) =>
      world.app.inject({ method: 'POST', url: `/api/v1/tenants/${TENANTS.pays}/stripe-invoices`, headers: CREDENTIALS, payload: body(overrides) });
    const answer = async (overrides: Record<string, unknown>) => {
      const response = await create(overrides);
      return response.statusCode === 201 ? 201 : [response.statusCode, response.json().code];
    };

    const { maxLength } = properties.footer;
    expect(maxLength).toBe(5_000);
    expect(await answer({ footer: 'x'.repeat(maxLength) })).toBe(201);
    expect(await answer({ footer: 'x'.repeat(maxLength + 1) })).toEqual([400, 'VALIDATION_FAILED']);
    // JSON Schema counts characters (code points), as the rule does: a character outside the BMP counts once.
    expect(await answer({ footer: '🧾'.repeat(maxLength) })).toBe(201);
    expect(await answer({ footer: '🧾'.repeat(maxLength + 1) })).toEqual([400, 'VALIDATION_FAILED']);

    const { minimum, maximum } = properties.quantity;
    expect(await answer({ quantity: maximum })).toBe(201);
    expect(await answer({ quantity: maximum + 1 })).toEqual([400, 'VALIDATION_FAILED']);
    expect(await answer({ quantity: minimum })).toBe(201);
    expect(await answer({ quantity: minimum - 1 })).toEqual([400, 'VALIDATION_FAILED']);
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
