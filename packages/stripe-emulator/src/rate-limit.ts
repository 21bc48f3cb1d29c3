import { performance } from 'node:perf_hooks';
import { z } from 'zod';
import type { Mode } from './api-keys';
import { EmulatorError } from './emulator-errors';

/**
 * Stripe's global rate limiter, per account and mode: requests per second, `null` for no limit. Off unless set.
 *
 * Stripe's documentation (docs.stripe.com/rate-limits) gives 100 requests per second per account in live mode and 25 in
 * test mode (sandboxes), answered beyond with `429 Too Many Requests` and a `Stripe-Rate-Limited-Reason` header;
 * Stripe's engineering blog ("Scaling your API with rate limiters") says the limiter is a token bucket.
 */
export interface RateLimitSetting {
  live: number | null;
  test: number | null;
}

/** Stripe's published default limits (requests per second). */
export const STRIPE_RATE_LIMITS: Readonly<RateLimitSetting> = Object.freeze({ live: 100, test: 25 });

export const RATE_LIMIT_VARIABLE = 'STRIPE_EMULATOR_RATE_LIMIT';

const PerSecond = z.number().min(0).max(1_000_000);

/**
 * What `POST /_emulator/config` and `startStripeEmulator({ rateLimit })` take: `null` or `0` (off), a number (that
 * many requests per second in both modes), `"stripe"` (Stripe's 100 live, 25 test), or `{ live, test }` (a mode left
 * out, `null` or `0` is unlimited).
 */
export const RateLimitInput = z.union([
  z.null(),
  PerSecond,
  z.literal('stripe'),
  z.strictObject({ live: PerSecond.nullable().optional(), test: PerSecond.nullable().optional() }),
]);
export type RateLimitInput = z.infer<typeof RateLimitInput>;

const limitOf = (perSecond: number | null | undefined): number | null => (perSecond ? perSecond : null);

/** The setting an input means; `null` when neither mode is limited. */
export function rateLimitSetting(input: RateLimitInput | undefined): RateLimitSetting | null {
  if (input === null || input === undefined) return null;
  const setting =
    input === 'stripe' ? { ...STRIPE_RATE_LIMITS }
    : typeof input === 'number' ? { live: limitOf(input), test: limitOf(input) }
    : { live: limitOf(input.live), test: limitOf(input.test) };
  return setting.live === null && setting.test === null ? null : setting;
}

/**
 * `--rate-limit` / STRIPE_EMULATOR_RATE_LIMIT: `off` (or `0`, or empty), `stripe`, a number for both modes, or
 * `live=100,test=25` (a mode left out is unlimited).
 */
export function parseRateLimit(raw: string, source = '--rate-limit'): RateLimitSetting | null {
  const text = raw.trim();
  const refuse = () => new Error(`${source} takes off, stripe, a number of requests per second, or live=N,test=N; not ${raw || 'nothing'}`);
  const perSecond = (value: string): number => {
    if (!/^\d+(\.\d+)?$/.test(value)) throw refuse();
    const parsed = PerSecond.safeParse(Number(value));
    if (!parsed.success) throw refuse();
    return parsed.data;
  };
  if (text === '' || text === 'off') return null;
  if (text === 'stripe') return rateLimitSetting('stripe');
  if (!text.includes('=')) return rateLimitSetting(perSecond(text));
  const limits: { live?: number; test?: number } = {};
  for (const part of text.split(',')) {
    const [mode, value, ...rest] = part.split('=').map((piece) => piece.trim());
    if ((mode !== 'live' && mode !== 'test') || value === undefined || rest.length > 0 || mode in limits) throw refuse();
    limits[mode] = perSecond(value);
  }
  return rateLimitSetting(limits);
}

/** `--rate-limit`, else STRIPE_EMULATOR_RATE_LIMIT, else off. */
export function rateLimitOption(args: readonly string[], env: Readonly<Record<string, string | undefined>>): RateLimitSetting | null {
  const flag = args.indexOf('--rate-limit');
  if (flag >= 0) return parseRateLimit(args[flag + 1] ?? '', '--rate-limit');
  const fromEnv = env[RATE_LIMIT_VARIABLE];
  return fromEnv === undefined ? null : parseRateLimit(fromEnv, RATE_LIMIT_VARIABLE);
}

/** What the limiter did to one account in one mode since the start (or the last reset). */
export interface AccountRateCounters {
  account: string;
  mode: Mode;
  /** Requests let through while a limit applied to this mode. */
  admitted: number;
  /** Requests answered 429 `rate_limit` by the limiter (not executed). */
  limited: number;
}

interface Bucket {
  tokens: number;
  /** performance.now() of the last refill. */
  at: number;
}

/**
 * A token bucket per account and mode. A bucket holds at most `max(1, N)` tokens (one second's worth) and gains N per
 * second, continuously; a request takes one token or, when there is none, is answered 429 and takes nothing. So a
 * steady N per second always passes, an idle account may send a burst of N at once, and over any interval of `t`
 * seconds at most `N × t + N` requests pass. Buckets start full.
 */
export class RateLimiter {
  private current: RateLimitSetting | null = null;
  private readonly buckets = new Map<string, Bucket>();
  private readonly counters = new Map<string, AccountRateCounters>();

  constructor(
    setting: RateLimitInput = null,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.configure(setting);
  }

  /** The limits in force, `null` when off. */
  get setting(): RateLimitSetting | null {
    return this.current && { ...this.current };
  }

  /** Sets the limits (`null`: off). Every bucket starts full again; the counters are kept. */
  configure(input: RateLimitInput | undefined): void {
    this.current = rateLimitSetting(input);
    this.buckets.clear();
  }

  /** Takes a token for one request of the account in this mode: false when it must be answered 429. */
  admit(account: string, mode: Mode): boolean {
    const perSecond = this.current?.[mode] ?? null;
    if (perSecond === null) return true;
    const key = `${mode}:${account}`;
    const capacity = Math.max(1, perSecond);
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * perSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    const counters = this.countersOf(account, mode);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      counters.admitted += 1;
      return true;
    }
    counters.limited += 1;
    return false;
  }

  /** Per account and mode, those the limiter has seen, in the order it first saw them. */
  accounts(): AccountRateCounters[] {
    return [...this.counters.values()].map((counters) => ({ ...counters }));
  }

  /** 429s answered by the limiter in one mode, in total and per account. */
  limitedIn(mode: Mode): { total: number; byAccount: Record<string, number> } {
    const byAccount: Record<string, number> = {};
    let total = 0;
    for (const counters of this.counters.values()) {
      if (counters.mode !== mode || counters.limited === 0) continue;
      byAccount[counters.account] = counters.limited;
      total += counters.limited;
    }
    return { total, byAccount };
  }

  /** Forgets the counters and refills every bucket; the limits stay. */
  reset(): void {
    this.counters.clear();
    this.buckets.clear();
  }

  private countersOf(account: string, mode: Mode): AccountRateCounters {
    const key = `${mode}:${account}`;
    let counters = this.counters.get(key);
    if (!counters) {
      counters = { account, mode, admitted: 0, limited: 0 };
      this.counters.set(key, counters);
    }
    return counters;
  }
}

/** The header Stripe's 429s carry, naming the limiter that refused: here always the global per-account rate. */
export const RATE_LIMITED_HEADERS: Readonly<Record<string, string>> = { 'Stripe-Rate-Limited-Reason': 'global-rate' };

const MESSAGES: Record<Mode, string> = {
  live: 'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
  test:
    'Testmode request rate limit exceeded, the rate limits in testmode are lower than livemode. ' +
    'You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
};

/**
 * Stripe's answer to a request over the limit, as Stripe words it: status 429, type `invalid_request_error`, code
 * `rate_limit`. The request was not executed, so nothing is kept under its idempotency key.
 */
export function rateLimitError(mode: Mode): EmulatorError {
  return new EmulatorError(
    429,
    { code: 'rate_limit', doc_url: 'https://stripe.com/docs/error-codes/rate-limit', message: MESSAGES[mode], type: 'invalid_request_error' },
    false,
  );
}
