import { loadConfig } from '../../../adapters/composition/config';
import { ratesFor, stripePacer } from '../../../adapters/stripe/stripe-pacing';
import { UpstreamUnavailable } from '../../../application/errors';
import { Secret } from '../../../application/secret';

const account = (key: string) => ({ mode: key.includes('_live_') ? ('live' as const) : ('test' as const), secretKey: new Secret(key) });

// The pacer on a fake clock: which requests may go, and when, per account and mode.

beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-02T12:00:00Z') }));
afterEach(() => jest.useRealTimers());

/** Starts `count` takes for a key; returns how many have been let go so far, as time is moved on. */
function burst(take: (key: string) => Promise<void>, key: string, count: number) {
  let gone = 0;
  for (let n = 0; n < count; n += 1) void take(key).then(() => (gone += 1));
  return () => gone;
}

const settle = async (ms: number) => {
  await jest.advanceTimersByTimeAsync(ms);
};

describe('stripePacer', () => {
  it('lets 20 a second go per account: two per tenth of a second, the rest wait their turn', async () => {
    const pacer = stripePacer({ live: null, test: 20 });
    const gone = burst((key) => pacer.take(account(key)), 'sk_test_acme', 10);
    await settle(0);
    expect(gone()).toBe(2);
    await settle(100);
    expect(gone()).toBe(4);
    await settle(300);
    expect(gone()).toBe(10);
  });

  it('paces each account on its own, and leaves an unpaced mode alone', async () => {
    const pacer = stripePacer({ live: null, test: 20 });
    const acme = burst((key) => pacer.take(account(key)), 'sk_test_acme', 6);
    const other = burst((key) => pacer.take(account(key)), 'sk_test_other', 6);
    const live = burst((key) => pacer.take(account(key)), 'sk_live_acme', 50);
    await settle(0);
    expect([acme(), other(), live()]).toEqual([2, 2, 50]);
  });

  it('keeps a long burst at the rate: in any second, at most its rate and one window more', async () => {
    const pacer = stripePacer({ live: 80, test: null });
    const gone = burst((key) => pacer.take(account(key)), 'sk_live_acme', 300);
    await settle(0);
    expect(gone()).toBe(8); // one window's worth goes at once, far below Stripe's bucket of 100
    await settle(1_000);
    expect(gone()).toBeGreaterThanOrEqual(80);
    expect(gone()).toBeLessThanOrEqual(88);
    await settle(2_000);
    expect(gone()).toBeLessThanOrEqual(248);
  });
});

describe('a pacer that cannot keep up', () => {
  it('lets about ten seconds of requests wait, and tells the rest to come back later (UPSTREAM_UNAVAILABLE, safe to retry)', async () => {
    const pacer = stripePacer({ live: null, test: 2 });
    const refused = (error: UpstreamUnavailable) => `${error.code} ${error.kind}, retry after ${error.retryAfterSeconds} s`;
    const outcomes = Array.from({ length: 25 }, () => pacer.take(account('sk_test_acme')).then(() => 'went', refused));
    await settle(0);
    await settle(15_000);
    const settled = await Promise.all(outcomes);
    const turnedAway = 'UPSTREAM_UNAVAILABLE busy, retry after 10 s'; // a retry sooner would meet the queue still full
    expect(settled.filter((outcome) => outcome === 'went').length).toBeGreaterThanOrEqual(20);
    expect(settled.filter((outcome) => outcome === turnedAway).length).toBeGreaterThanOrEqual(1);
    expect(settled.every((outcome) => outcome === 'went' || outcome === turnedAway)).toBe(true);
  });
});

describe('STRIPE_RATE_LIMIT', () => {
  const base = { DATA_DIR: '/nonexistent-tsinv', MASTER_KEY: 'a'.repeat(64) };

  const rates = (env: Record<string, string>) => {
    const config = loadConfig({ ...base, ...env });
    return ratesFor(config.stripeRates, config.stripeApiBase);
  };

  it("paces at Stripe's limits less a margin when the requests go to Stripe itself, not when they go to an emulator", () => {
    expect(rates({ NODE_ENV: 'production' })).toEqual({ live: 80, test: 20 });
    expect(rates({ STRIPE_API_BASE: 'https://api.stripe.com' })).toEqual({ live: 80, test: 20 });
    expect(rates({ STRIPE_API_BASE: 'http://127.0.0.1:12111' })).toEqual({ live: null, test: null });
    // Local mode's server decides on its final Stripe, its in-process emulator: not paced unless asked.
    expect(ratesFor(undefined, 'http://127.0.0.1:12111')).toEqual({ live: null, test: null });
  });

  it('takes rates per mode, or off, and refuses anything else with the rule', () => {
    expect(rates({ STRIPE_RATE_LIMIT: 'test=4' })).toEqual({ live: null, test: 4 });
    expect(rates({ NODE_ENV: 'production', STRIPE_RATE_LIMIT: 'off' })).toEqual({ live: null, test: null });
    expect(() => loadConfig({ ...base, STRIPE_RATE_LIMIT: 'fast' })).toThrow(/like "live=80,test=20"/);
  });
});
