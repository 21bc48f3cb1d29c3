import Stripe from 'stripe';
import { parseRateLimit, rateLimitOption, RateLimiter } from '../src/rate-limit';
import type { EmulatorOptions } from '../src/emulator-server';
import { sdkFor, withEmulator } from './emulator-support';

// Timing: the limits here are small (1–5 per second) and every burst is sent at once, so the bounds asserted are
// generous: a bucket of N admits at least N of a burst, and at most N plus what refills while the burst arrives.

type Env = Awaited<ReturnType<typeof withEmulator>>;
let env: Env | undefined;
afterEach(async () => {
  await env?.emulator.close();
  env = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<Env> {
  env = await withEmulator(options);
  return env;
}

interface Burst {
  created: Stripe.Customer[];
  refused: unknown[];
}

/** `count` customer creations sent at once, each under its own idempotency key. */
async function burst(stripe: Stripe, count: number, prefix: string): Promise<Burst> {
  const settled = await Promise.allSettled(
    Array.from({ length: count }, (_, index) => stripe.customers.create({ name: `${prefix}-${index}` }, { idempotencyKey: `${prefix}-${index}` })),
  );
  return {
    created: settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
    refused: settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : [])),
  };
}

describe('the rate limiter: a token bucket per account and mode', () => {
  let clock = 0;
  const limiter = (setting: ConstructorParameters<typeof RateLimiter>[0]) => new RateLimiter(setting, () => clock);
  beforeEach(() => {
    clock = 1_000;
  });

  it('admits a full bucket of N at once, then N per second, and never more than N are saved up', () => {
    const limits = limiter({ test: 5 });
    const admitted = (count: number) => Array.from({ length: count }, () => limits.admit('acme', 'test')).filter(Boolean).length;
    expect(admitted(20)).toBe(5);
    clock += 200; // one token
    expect(admitted(5)).toBe(1);
    clock += 10_000; // refills to 5, not 50
    expect(admitted(20)).toBe(5);
    clock += 1_000;
    expect(admitted(20)).toBe(5);
    expect(limits.accounts()).toEqual([{ account: 'acme', mode: 'test', admitted: 16, limited: 49 }]);
  });

  it('keeps one bucket per account and mode, and leaves an unlimited mode alone', () => {
    const limits = limiter({ live: 2, test: 1 });
    expect([limits.admit('acme', 'test'), limits.admit('acme', 'test')]).toEqual([true, false]);
    expect([limits.admit('other', 'test'), limits.admit('acme', 'live'), limits.admit('acme', 'live'), limits.admit('acme', 'live')]).toEqual([true, true, true, false]);
    const unlimitedLive = limiter({ test: 1 });
    expect(Array.from({ length: 50 }, () => unlimitedLive.admit('acme', 'live')).every(Boolean)).toBe(true);
    expect(unlimitedLive.accounts()).toEqual([]);
    expect(limits.limitedIn('test')).toEqual({ total: 1, byAccount: { acme: 1 } });
    expect(limits.limitedIn('live')).toEqual({ total: 1, byAccount: { acme: 1 } });
  });

  it('is off by default and by null or 0; a rate under one per second still admits one request', () => {
    for (const off of [undefined, null, 0, { live: 0, test: null }] as const) {
      const limits = off === undefined ? new RateLimiter() : limiter(off);
      expect(limits.setting).toBeNull();
      expect(Array.from({ length: 100 }, () => limits.admit('acme', 'test')).every(Boolean)).toBe(true);
    }
    const slow = limiter({ test: 0.5 });
    expect([slow.admit('acme', 'test'), slow.admit('acme', 'test')]).toEqual([true, false]);
    clock += 2_000;
    expect(slow.admit('acme', 'test')).toBe(true);
  });

  it('reads --rate-limit, else STRIPE_EMULATOR_RATE_LIMIT', () => {
    expect(parseRateLimit('stripe')).toEqual({ live: 100, test: 25 });
    expect(parseRateLimit('7')).toEqual({ live: 7, test: 7 });
    expect(parseRateLimit('live=100,test=25')).toEqual({ live: 100, test: 25 });
    expect(parseRateLimit('test=5')).toEqual({ live: null, test: 5 });
    for (const off of ['off', '0', '', 'live=0,test=0']) expect(parseRateLimit(off)).toBeNull();
    for (const bad of ['fast', '-1', 'prod=5', 'test=5,test=6', 'test=', 'test=1=2']) expect(() => parseRateLimit(bad)).toThrow(/--rate-limit takes/);
    expect(rateLimitOption([], {})).toBeNull();
    expect(rateLimitOption([], { STRIPE_EMULATOR_RATE_LIMIT: 'stripe' })).toEqual({ live: 100, test: 25 });
    expect(rateLimitOption(['--rate-limit', 'test=3'], { STRIPE_EMULATOR_RATE_LIMIT: 'stripe' })).toEqual({ live: null, test: 3 });
    expect(() => rateLimitOption([], { STRIPE_EMULATOR_RATE_LIMIT: 'x' })).toThrow(/^STRIPE_EMULATOR_RATE_LIMIT takes/);
  });
});

describe('the emulator: Stripe’s rate limit', () => {
  it('is off by default: a burst all passes, and the config says null', async () => {
    const { emulator, control } = await start();
    expect((await control('GET', 'config')).body).toMatchObject({ rateLimit: null });
    const { created, refused } = await burst(sdkFor(emulator, 'sk_test_acme'), 40, 'default');
    expect([created.length, refused.length]).toEqual([40, 0]);
    expect((await control('GET', 'rate-limits')).body).toEqual({ rateLimit: null, accounts: [] });
  });

  it('answers the excess of a burst 429 rate_limit as Stripe does, and executes none of it', async () => {
    const { emulator, control, stats, log } = await start({ rateLimit: { test: 5 } });
    const stripe = sdkFor(emulator, 'sk_test_acme');
    const { created, refused } = await burst(stripe, 20, 'burst');

    expect(created.length).toBeGreaterThanOrEqual(5);
    expect(created.length).toBeLessThanOrEqual(10);
    expect(created.length + refused.length).toBe(20);
    for (const error of refused) {
      expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
      expect(error).toMatchObject({ statusCode: 429, code: 'rate_limit', rawType: 'invalid_request_error', doc_url: 'https://stripe.com/docs/error-codes/rate-limit' });
      const { message } = error as Stripe.errors.StripeRateLimitError;
      const headers = (error as Stripe.errors.StripeRateLimitError).headers ?? {};
      expect(message).toBe('Testmode request rate limit exceeded, the rate limits in testmode are lower than livemode. You can learn more about rate limits here https://stripe.com/docs/rate-limits.');
      expect(headers['stripe-rate-limited-reason']).toBe('global-rate');
      expect(headers['request-id']).toMatch(/^req_/);
      expect(headers['stripe-should-retry']).toBeUndefined();
    }

    // Nothing was created for the refused requests, and they are counted per account.
    expect(stats().test.customers).toBe(created.length);
    expect(stats().test).toMatchObject({ rateLimited: refused.length, rateLimitedByAccount: { acme: refused.length } });
    expect((await control('GET', 'stats')).body).toMatchObject({ test: { rateLimited: refused.length, rateLimitedByAccount: { acme: refused.length } }, live: { rateLimited: 0 } });
    expect((await control('GET', 'rate-limits')).body).toEqual({
      rateLimit: { live: null, test: 5 },
      accounts: [{ account: 'acme', mode: 'test', admitted: created.length, limited: refused.length }],
    });
    const entries = log().filter((entry) => entry.operation === 'customer.create');
    expect(entries.filter((entry) => entry.rateLimited).map((entry) => entry.status)).toEqual(refused.map(() => 429));
    expect(entries.filter((entry) => !entry.rateLimited).map((entry) => entry.status)).toEqual(created.map(() => 200));

    // Nothing was kept under their keys either: once the limit is lifted, each is executed afresh, not replayed.
    await control('POST', 'config', { rateLimit: null });
    const refusedKeys = entries.filter((entry) => entry.rateLimited).map((entry) => entry.idempotencyKey!);
    for (const key of refusedKeys) {
      const retried = await stripe.customers.create({ name: key }, { idempotencyKey: key });
      expect(retried.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    }
    expect(stats().test.customers).toBe(20);
    const replayed = await stripe.customers.create({ name: created[0]!.name! }, { idempotencyKey: created[0]!.name! });
    expect([replayed.id, replayed.lastResponse.headers['idempotent-replayed']]).toEqual([created[0]!.id, 'true']);
  });

  it('lets requests within the limit through, and refills at N per second', async () => {
    const { emulator } = await start({ rateLimit: 5 });
    const stripe = sdkFor(emulator, 'sk_test_acme');
    for (let index = 0; index < 5; index += 1) await expect(stripe.customers.create({})).resolves.toMatchObject({ object: 'customer' });
    const { refused } = await burst(stripe, 10, 'after');
    expect(refused.length).toBeGreaterThanOrEqual(5);
    await new Promise((resolve) => setTimeout(resolve, 1_100)); // at 5 per second, at least one token is back
    await expect(stripe.customers.create({})).resolves.toMatchObject({ object: 'customer' });
  });

  it('limits each account and mode on its own; a live refusal says so', async () => {
    const { emulator, control, stats } = await start({ rateLimit: { live: 5, test: 5 } });
    const [acme, other, live] = ['sk_test_acme', 'sk_test_other', 'sk_live_acme'].map((key) => sdkFor(emulator, key)) as [Stripe, Stripe, Stripe];
    const [flooded, beside, inLive] = await Promise.all([burst(acme, 20, 'acme'), burst(other, 4, 'other'), burst(live, 4, 'live')]);
    expect(flooded.refused.length).toBeGreaterThanOrEqual(10);
    expect([beside.created.length, inLive.created.length]).toEqual([4, 4]);
    expect(stats().test).toMatchObject({ rateLimited: flooded.refused.length, rateLimitedByAccount: { acme: flooded.refused.length } });
    expect(stats().live.rateLimited).toBe(0);

    const { refused: liveRefused } = await burst(live, 20, 'live-flood');
    expect(liveRefused.length).toBeGreaterThanOrEqual(10);
    expect(liveRefused[0]).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
    expect((liveRefused[0] as Stripe.errors.StripeError).message).toBe('Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.');
    const accounts = ((await control('GET', 'rate-limits')).body as { accounts: { account: string; mode: string; limited: number }[] }).accounts;
    expect(accounts.find((entry) => entry.account === 'other')).toMatchObject({ mode: 'test', limited: 0 });
    expect(accounts.find((entry) => entry.account === 'acme' && entry.mode === 'live')).toMatchObject({ limited: liveRefused.length });
  });

  it('is set, reported and turned off through /_emulator/config', async () => {
    const { emulator, control } = await start();
    const stripe = sdkFor(emulator, 'sk_test_acme');
    expect(await control('POST', 'config', { rateLimit: { live: 100, test: 5 } })).toMatchObject({ status: 200, body: { rateLimit: { live: 100, test: 5 } } });
    expect((await control('GET', 'config')).body).toMatchObject({ rateLimit: { live: 100, test: 5 }, latency: { fixedMs: 0, jitterMs: 0 } });
    expect((await burst(stripe, 20, 'on')).refused.length).toBeGreaterThanOrEqual(10);

    // Other settings leave the limit alone.
    await control('POST', 'config', { latency: { fixedMs: 0, jitterMs: 0 } });
    expect((await control('GET', 'config')).body).toMatchObject({ rateLimit: { live: 100, test: 5 } });

    expect((await control('POST', 'config', { rateLimit: null })).body).toMatchObject({ rateLimit: null });
    expect((await burst(stripe, 20, 'off')).refused).toEqual([]);
    expect((await control('POST', 'config', { rateLimit: 'stripe' })).body).toMatchObject({ rateLimit: { live: 100, test: 25 } });
    expect((await control('POST', 'config', { rateLimit: { test: 0 } })).body).toMatchObject({ rateLimit: null });
    expect((await control('POST', 'config', { rateLimit: 0 })).body).toMatchObject({ rateLimit: null });

    for (const bad of [{ test: -1 }, { prod: 5 }, 'fast', { test: '5' }]) expect((await control('POST', 'config', { rateLimit: bad })).status).toBe(400);
  });

  it('never limits the control surface, nor counts it', async () => {
    const { emulator, control } = await start({ rateLimit: 1 });
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, index) => control('GET', ['stats', 'health', 'config', 'requests', 'rate-limits'][index % 5]!)),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    expect((await control('GET', 'rate-limits')).body).toEqual({ rateLimit: { live: 1, test: 1 }, accounts: [] });
    // The bucket of one is still full: the control requests took nothing from it.
    await expect(sdkFor(emulator, 'sk_test_acme').customers.create({})).resolves.toMatchObject({ object: 'customer' });
  });

  it('forgets its counters on reset (and on DELETE /_emulator/rate-limits) but keeps the limit', async () => {
    const { emulator, control, stats } = await start({ rateLimit: 'stripe' });
    const stripe = sdkFor(emulator, 'sk_test_acme');
    expect((await burst(stripe, 60, 'stripe')).refused.length).toBeGreaterThan(0);
    expect(stats().test.rateLimited).toBeGreaterThan(0);
    expect((await control('DELETE', 'rate-limits')).body).toEqual({ rateLimit: { live: 100, test: 25 }, accounts: [] });
    expect(stats().test).toMatchObject({ rateLimited: 0, rateLimitedByAccount: {} });
    expect((await burst(stripe, 60, 'again')).refused.length).toBeGreaterThan(0);
    await control('POST', 'reset');
    expect(stats().test).toMatchObject({ customers: 0, rateLimited: 0 });
    expect((await control('GET', 'config')).body).toMatchObject({ rateLimit: { live: 100, test: 25 } });
  });
});
