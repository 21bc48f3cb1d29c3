import Stripe from 'stripe';
import { type EmulatorEnv, basics, emulatorForEachTest, sdkFor } from './emulator-support';

let env: EmulatorEnv;
let stripe: Stripe;
let customer: string;

emulatorForEachTest((made) => ({ env, stripe } = made));
beforeEach(async () => {
  ({ customer } = await basics(stripe));
});

const create = (key: string) => stripe.invoices.create({ customer }, { idempotencyKey: key });
async function waitFor(done: () => boolean, withinMs = 5_000): Promise<void> {
  for (const start = Date.now(); !done(); ) {
    if (Date.now() - start > withinMs) throw new Error(`not done within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
const statuses = () => env.log().filter((entry) => entry.operation === 'invoice.create').map((entry) => entry.status);

describe('the emulator: fault switches', () => {
  it.each([
    ['rate_limit', 429, Stripe.errors.StripeRateLimitError],
    ['server_error', 500, Stripe.errors.StripeAPIError],
    ['unavailable', 503, Stripe.errors.StripeAPIError],
  ] as const)('%s answers %d before doing the work, and keeps nothing under the key', async (kind, status, type) => {
    await env.fault({ operation: 'invoice.create', kind });
    const error = await create('f-1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    expect((error as Stripe.errors.StripeError).statusCode).toBe(status);
    expect(env.stats().test.invoices).toBe(0);
    const retried = await create('f-1');
    expect(retried.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(env.stats().test.invoices).toBe(1);
    expect(statuses()).toEqual([status, 200]);
  });

  it('reset_before closes the connection without doing the work', async () => {
    // The SDK retries a closed connection once by itself, even with retries off: two resets make it give up.
    await env.fault({ operation: 'invoice.create', kind: 'reset_before', count: 2 });
    await expect(create('f-2')).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(statuses()).toEqual(['reset', 'reset']);
    expect(env.stats().test.invoices).toBe(0);
  });

  it('drop_after does the work, then drops the connection; the retry under the same key is replayed', async () => {
    await env.fault({ operation: 'invoice.create', kind: 'drop_after' });
    const invoice = await create('f-3'); // the SDK's one automatic retry of a closed connection
    expect(statuses()).toEqual(['dropped', 200]);
    expect(env.log().filter((entry) => entry.operation === 'invoice.create').map((entry) => entry.replayed)).toEqual([false, true]);
    expect(env.stats().test.invoices).toBe(1);
    expect((await stripe.invoices.retrieve(invoice.id)).id).toBe(invoice.id);
  });

  it('timeout holds the request past the client timeout, then does the work', async () => {
    // Only this client has a short timeout: on a loaded machine an ordinary call may take longer than 300 ms.
    const impatient = sdkFor(env.emulator, 'sk_test_acme', 300);
    await env.fault({ operation: 'invoice.create', kind: 'timeout', delayMs: 1_500 });
    const error = await impatient.invoices.create({ customer }, { idempotencyKey: 'f-4' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    expect(env.stats().test.invoices).toBe(0);
    await waitFor(() => env.stats().test.invoices === 1);
    const retried = await create('f-4');
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(env.stats().test.invoices).toBe(1);
  });

  it('counts down counted faults, keeps probabilistic ones, and can be cleared', async () => {
    await env.fault({ operation: '*', kind: 'server_error', probability: 1 });
    await expect(stripe.customers.create({})).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    await expect(create('f-5')).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect((await env.control('GET', 'faults')).body).toHaveLength(1);
    await env.control('DELETE', 'faults');
    await expect(create('f-5')).resolves.toMatchObject({ object: 'invoice' });
  });

  it('refuses a fault rule it does not understand', async () => {
    const answer = await env.control('POST', 'faults', { operation: 'invoice.pay', kind: 'explode' });
    expect(answer.status).toBe(400);
  });
});

describe('the emulator: control surface', () => {
  it('reports stats per mode, logs requests with their keys, and resets', async () => {
    const live = sdkFor(env.emulator, 'sk_live_acme');
    await live.customers.create({});
    await create('log-1');
    const stats = (await env.control('GET', 'stats')).body as Record<string, Record<string, number>>;
    expect(stats['test']).toMatchObject({ customers: 1, invoices: 1, draftInvoices: 1, charges: 0 });
    expect(stats['live']).toMatchObject({ customers: 1, invoices: 0 });
    const log = (await env.control('GET', 'requests')).body as { method: string; path: string; idempotencyKey: string | null; status: number }[];
    expect(log.at(-1)).toMatchObject({ method: 'POST', path: '/v1/invoices', idempotencyKey: 'log-1', status: 200 });
    await env.control('POST', 'reset');
    expect(env.stats().test.customers).toBe(0);
    expect(env.log()).toHaveLength(0);
  });

  it('applies configured latency to every API request', async () => {
    await env.control('POST', 'config', { latency: { fixedMs: 120, jitterMs: 0 } });
    const started = Date.now();
    await stripe.customers.create({});
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });
});
