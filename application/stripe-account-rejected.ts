import type { StripeMode } from '../domain/modes';

/**
 * Stripe refused the app's own secret key (revoked, wrong, or without permission). Not the caller's request and
 * not a passing outage: nothing is charged, and retrying helps only once an operator has set a valid key.
 */
export class StripeAccountRejected extends Error {
  readonly code = 'STRIPE_ACCOUNT_MISCONFIGURED';

  constructor(readonly mode: StripeMode) {
    super(`Stripe rejected this app's ${mode} secret key; an operator must set a valid key.`);
    this.name = 'StripeAccountRejected';
  }
}
