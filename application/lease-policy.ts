import type { ServiceIdentifier } from 'inversify';

/** How long a claimed Idempotency-Key stays with its holder without a sign of life (each checkpoint renews it). */
export interface LeasePolicy {
  milliseconds: number;
}
export const LeasePolicy: ServiceIdentifier<LeasePolicy> = Symbol('LeasePolicy');
/** Longer than any single Stripe step can take with its retries. */
export const DEFAULT_LEASE: LeasePolicy = { milliseconds: 120_000 };

/** When a lease taken or renewed at `now` runs out. */
export function leaseUntil(policy: LeasePolicy, now: Date): Date {
  return new Date(now.getTime() + policy.milliseconds);
}
