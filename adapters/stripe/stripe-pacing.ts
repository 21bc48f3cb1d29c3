import { createHash } from 'node:crypto';
import type { StripeAccount } from '../../application/billing-provider';
import { UpstreamUnavailable } from '../../application/errors';
import { STRIPE_API } from './stripe-client';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterQueue, RateLimiterQueueError, type RateLimiterAbstract } from 'rate-limiter-flexible';

/** Requests per second this service sends each Stripe account, per mode; null: not paced. */
export interface StripeRates {
  live: number | null;
  test: number | null;
}

/**
 * Stripe allows about 100 requests per second per account in live mode and 25 in test mode, and answers 429 beyond.
 * The service stays below, leaving room for the account's other users (its dashboard, other integrations).
 */
export const DEFAULT_STRIPE_RATES: StripeRates = { live: 80, test: 20 };

/**
 * The rates in force: those configured, or by default Stripe's limits less a margin when the requests go to Stripe
 * itself, and none when they go elsewhere (an emulator or a proxy has limits of its own).
 */
export function ratesFor(configured: StripeRates | undefined, stripeApiBase: string): StripeRates {
  if (configured) return configured;
  return new URL(stripeApiBase).host === new URL(STRIPE_API).host ? DEFAULT_STRIPE_RATES : { live: null, test: null };
}

/** Where the counts live: this process's memory, or a PostgreSQL table that every instance shares. */
export type PacingStore = { kind: 'memory' } | { kind: 'postgres'; pool: unknown; tableName: string };

/** Waits, if needed, until a request to `account` keeps it under its rate. */
export interface StripePacer {
  take(account: Pick<StripeAccount, 'mode' | 'secretKey'>): Promise<void>;
}

const MAX_WAIT_SECONDS = 10;

export const UNPACED: StripePacer = { take: async () => undefined };

/**
 * Paces Stripe requests per account with rate-limiter-flexible: a queue per account that lets a request go as soon
 * as the window has room. The window is a tenth of a second (8 requests per 100 ms rather than 80 in one second), so
 * that no burst can exceed Stripe's own bucket even across a window's edge.
 */
export function stripePacer(rates: StripeRates, store: PacingStore = { kind: 'memory' }): StripePacer {
  const queueFor = (rate: number | null) => {
    if (!rate) return undefined;
    const points = Math.max(1, Math.ceil(rate / 10));
    // Whole milliseconds: the shared table keeps expiry times as integers.
    const options = { points, duration: Math.ceil((1000 * points) / rate) / 1000, keyPrefix: 'stripe' };
    const limiter: RateLimiterAbstract =
      store.kind === 'postgres'
        ? new RateLimiterPostgres({ ...options, storeClient: store.pool, storeType: 'pool', tableName: store.tableName, tableCreated: true, clearExpiredByTimeout: false })
        : new RateLimiterMemory(options);
    // At most about ten seconds of this instance's requests wait; beyond, the charge is told to come back (503, safe
    // to retry). Instances sharing the PostgreSQL count each keep such a queue, so together they may wait longer.
    return new RateLimiterQueue(limiter, { maxQueueSize: rate * MAX_WAIT_SECONDS });
  };
  const queues = { live: queueFor(rates.live), test: queueFor(rates.test) };
  // The key is never stored, not even in memory beside its Secret or in a shared table: its digest names the
  // account. (Two keys of one account, during a rotation, are paced apart.)
  const digestOf = (secretKey: string) => createHash('sha256').update(secretKey).digest('hex').slice(0, 32);
  return {
    async take(account) {
      const queue = queues[account.mode];
      if (!queue) return;
      try {
        await queue.removeTokens(1, digestOf(account.secretKey.reveal()));
      } catch (error) {
        const detail = `pacing Stripe requests: ${error instanceof Error ? error.message : String(error)}`;
        // A full queue holds about MAX_WAIT_SECONDS of requests: a retry sooner would meet it full again.
        if (error instanceof RateLimiterQueueError) throw new UpstreamUnavailable('busy', detail, MAX_WAIT_SECONDS);
        // The shared table unreachable: Stripe cannot be asked now.
        throw new UpstreamUnavailable('unreachable', detail);
      }
    },
  };
}
