import { PRICES, TENANTS, body } from '../../support/world';
import { SCENARIOS, requestHeaders } from './contract-scenarios';
import { CREDENTIALS, buildHttpWorld } from './http-world';

describe('REST: every status and code of the contract', () => {
  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    const world = buildHttpWorld(scenario.rateLimit ? { rateLimit: scenario.rateLimit } : {});
    const cleanUp = await scenario.arrange?.(world);
    const response = await world.app.inject({
      method: 'POST',
      url: `/api/v1/tenants/${scenario.tenantId ?? TENANTS.pays}/stripe-invoices`,
      headers: requestHeaders(scenario),
      payload: scenario.body ?? body(),
    });
    cleanUp?.();
    const json = response.json<Record<string, unknown>>();
    expect(response.statusCode).toBe(scenario.expect.status);
    if (scenario.expect.status === 201) {
      expect(json).toMatchObject({ success: true, error: null, message: expect.any(String) });
      expect((json['data'] as { paymentIntents: unknown; invoice: unknown }).invoice).toMatchObject({ id: expect.stringMatching(/^in_/) });
      if (scenario.expect.chargeStatus === 'nothing_to_charge') expect((json['data'] as { paymentIntents: unknown }).paymentIntents).toBeNull();
      else expect((json['data'] as { paymentIntents: { status: string } }).paymentIntents.status).toBe(scenario.expect.chargeStatus);
    } else {
      expect(json).toMatchObject({ success: false, code: scenario.expect.code, message: null, data: null, error: expect.any(String) });
      expect(JSON.stringify(json)).not.toMatch(/at .*\.ts:\d+|boom|tsinv_|fake refusal/); // no stack trace, no internal message, no key
      if (scenario.expect.final) expect(json['error']).toMatch(/retrying with the same Idempotency-Key replays this answer/);
    }
    if (scenario.expect.retryAfter) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('REST: the transport', () => {
  const world = buildHttpWorld();
  const post = (options: { payload?: string | object; headers?: Record<string, string>; url?: string }) =>
    world.app.inject({
      method: 'POST',
      url: options.url ?? `/api/v1/tenants/${TENANTS.pays}/stripe-invoices`,
      headers: { ...CREDENTIALS, 'content-type': 'application/json', ...options.headers },
      payload: options.payload ?? body(),
    });

  it('answers the same at /v1/… and /api/v1/…', async () => {
    const response = await post({ url: `/v1/tenants/${TENANTS.pays}/stripe-invoices` });
    expect(response.statusCode).toBe(201);
  });

  it('refuses malformed JSON with 400, another content type with 415, a large body with 413', async () => {
    const malformed = await post({ payload: '{"price": ' });
    expect([malformed.statusCode, malformed.json()]).toEqual([400, expect.objectContaining({ code: 'VALIDATION_FAILED', error: 'The request body is not valid JSON.' })]);
    const text = await post({ payload: 'price=x', headers: { 'content-type': 'text/plain' } });
    expect([text.statusCode, text.json().code]).toEqual([415, 'VALIDATION_FAILED']);
    const form = await post({ payload: 'price=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.statusCode).toBe(415);
    const large = await post({ payload: JSON.stringify({ ...body(), footer: 'x'.repeat(70_000) }) });
    expect([large.statusCode, large.json().code]).toEqual([413, 'VALIDATION_FAILED']);
  });

  it('refuses JSON that is not an object, and prototype poisoning', async () => {
    expect((await post({ payload: '[1,2]' })).statusCode).toBe(400);
    expect((await post({ payload: '"text"' })).statusCode).toBe(400);
    expect((await post({ payload: '{"__proto__": {"admin": true}, "price": "price_x"}' })).statusCode).toBe(400);
  });

  it('replays the first answer byte for byte, status included, marked Idempotent-Replayed as Stripe marks its replays', async () => {
    const headers = { 'idempotency-key': 'replay-me' };
    const first = await post({ headers });
    const second = await post({ headers });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.body).toBe(first.body);
    expect([first.headers['idempotent-replayed'], second.headers['idempotent-replayed']]).toEqual([undefined, 'true']);
    const declined = { 'idempotency-key': 'declined-once' };
    const url = `/api/v1/tenants/${TENANTS.declines}/stripe-invoices`;
    const firstDecline = await post({ headers: declined, url });
    const secondDecline = await post({ headers: declined, url });
    expect([firstDecline.statusCode, secondDecline.statusCode]).toEqual([402, 402]);
    expect(secondDecline.body).toBe(firstDecline.body);
    expect([firstDecline.headers['idempotent-replayed'], secondDecline.headers['idempotent-replayed']]).toEqual([undefined, 'true']);
  });

  it('names the decline code and lists validation issues in details', async () => {
    const declined = await post({ url: `/api/v1/tenants/${TENANTS.declines}/stripe-invoices` });
    expect(declined.json()).toMatchObject({ error: 'The card was declined (generic_decline).', details: { declineCode: 'generic_decline' } });
    const subscription = await post({ url: `/api/v1/tenants/${TENANTS.declines}/stripe-invoices`, payload: { ...body(), mode: 'subscription', price: PRICES.monthly } });
    expect(subscription.json().details).toEqual({ declineCode: 'generic_decline', invoiceId: expect.stringMatching(/^in_/), subscriptionId: expect.stringMatching(/^sub_/) });
    const invalid = await post({ payload: { ...body(), quantity: 'two', mode: 'rent' } });
    expect(invalid.json().details.issues.map((issue: { path: string }) => issue.path).sort()).toEqual(['mode', 'quantity']);
  });

  it('answers unknown routes with 404 in the same envelope, and sends a request id', async () => {
    const response = await world.app.inject({ method: 'GET', url: '/api/v2/nothing' });
    expect([response.statusCode, response.json().code]).toEqual([404, 'NOT_FOUND']);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
