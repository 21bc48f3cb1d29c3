/** Which Stripe environment a request bills in: the app's live or test secret key and the tenant's customer there. */
export type StripeMode = 'live' | 'test';

/** `payment`: a one-off invoice for a one-time price. `subscription`: a subscription on a recurring price. */
export type InvoiceMode = 'payment' | 'subscription';

export const INVOICE_MODES: readonly InvoiceMode[] = ['payment', 'subscription'];

export function stripeModeOf(test: boolean): StripeMode {
  return test ? 'test' : 'live';
}
