import { createHash } from 'node:crypto';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterQueue, type RateLimiterAbstract } from 'rate-limiter-flexible';

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

/** Where the counts live: this process's memory, or a PostgreSQL table that every instance shares. */
export type PacingStore = { kind: 'memory' } | { kind: 'postgres'; pool: unknown; tableName: string };

/** Waits, if needed, until a request to the account of `apiKey` keeps it under its rate. */
export interface StripePacer {
  take(apiKey: string): Promise<void>;
}

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
    const options = { points, duration: points / rate, keyPrefix: 'stripe' };
    const limiter: RateLimiterAbstract =
      store.kind === 'postgres'
        ? new RateLimiterPostgres({ ...options, storeClient: store.pool, storeType: 'pool', tableName: store.tableName, tableCreated: true, clearExpiredByTimeout: false })
        : new RateLimiterMemory(options);
    return new RateLimiterQueue(limiter, { maxQueueSize: 100_000 });
  };
  const queues = { live: queueFor(rates.live), test: queueFor(rates.test) };
  return {
    async take(apiKey: string) {
      const queue = apiKey.includes('_live_') ? queues.live : queues.test;
      // The key is never stored, even in a shared table: its digest names the account.
      await queue?.removeTokens(1, createHash('sha256').update(apiKey).digest('hex').slice(0, 32));
    },
  };
}
