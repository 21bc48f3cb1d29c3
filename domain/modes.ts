export const STRIPE_MODES = ['live', 'test'] as const;
/** Which Stripe environment a request bills in: the app's live or test secret key and the tenant's customer there. */
export type StripeMode = (typeof STRIPE_MODES)[number];

export const INVOICE_MODES = ['payment', 'subscription'] as const;
/** `payment`: a one-off invoice for a one-time price. `subscription`: a subscription on a recurring price. */
export type InvoiceMode = (typeof INVOICE_MODES)[number];

export function stripeModeOf(test: boolean): StripeMode {
  return test ? 'test' : 'live';
}
