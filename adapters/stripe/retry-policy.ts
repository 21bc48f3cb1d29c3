import { setTimeout as sleep } from 'node:timers/promises';
import Stripe from 'stripe';
import { UpstreamUnavailable } from '../../application/errors';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<unknown>;
}

/** Told about every attempt: the step, how long it took, and `ok`, Stripe's HTTP status, or `network`. */
export type CallObserver = (step: string, seconds: number, outcome: string) => void;

export const DEFAULT_RETRY_POLICY: RetryPolicy = { retries: 3, baseDelayMs: 250, maxDelayMs: 2_000 };

/** Failures that say nothing about the request itself: the same call may succeed if sent again under its key. */
function isTransient(error: unknown): boolean {
  if (error instanceof Stripe.errors.StripeConnectionError) return true;
  if (error instanceof Stripe.errors.StripeRateLimitError) return true;
  if (!(error instanceof Stripe.errors.StripeError)) return false;
  const status = error.statusCode ?? 0;
  // 409: the same idempotency key is still being worked on (ours, from an earlier attempt), or a lock timed out.
  return status === 409 || status >= 500;
}

/** Exponential backoff with full jitter, so that callers retrying together spread out. */
function delayFor(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Runs one Stripe call with bounded retries. Every retry sends the same idempotency key, so a request that did
 * reach Stripe is replayed, never repeated. When retries run out the failure becomes UpstreamUnavailable.
 */
export async function withRetries<T>(
  step: string,
  call: () => Promise<T>,
  policy: RetryPolicy,
  observe?: CallObserver,
  random = Math.random,
  pace?: () => Promise<void>,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    await pace?.();
    const started = performance.now();
    try {
      const result = await call();
      observe?.(step, (performance.now() - started) / 1000, 'ok');
      return result;
    } catch (error) {
      observe?.(step, (performance.now() - started) / 1000, String((error as { statusCode?: number }).statusCode ?? 'network'));
      if (!isTransient(error)) throw error;
      if (attempt >= policy.retries) throw exhausted(step, error, attempt + 1);
      await (policy.sleep ?? sleep)(delayFor(attempt, policy, random));
    }
  }
}

function exhausted(step: string, error: unknown, attempts: number): UpstreamUnavailable {
  const stripeError = error as Stripe.errors.StripeError;
  const status = stripeError.statusCode;
  const detail = `${step} failed ${attempts} times; last: ${status ?? stripeError.type ?? 'network error'} ${stripeError.message ?? ''}`.trim();
  const answered = status !== undefined && status >= 500;
  return new UpstreamUnavailable(answered ? 'server_error' : 'unreachable', detail);
}
