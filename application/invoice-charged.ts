import { PaymentDeclined } from '../domain/errors';
import type { BilledInvoice, ChargeResult, PaymentIntentView, StartedSubscription } from './billing-provider';

/** How the charge ended for a successful call: paid, waiting for 3-D Secure, still processing, or nothing to charge. */
export const CHARGE_STATUSES = ['succeeded', 'requires_action', 'processing', 'nothing_to_charge'] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

/** What CreateStripeInvoice returns. Plain JSON data, so that a stored copy replays exactly. */
export interface InvoiceCharged {
  status: ChargeStatus;
  paymentIntent: PaymentIntentView | null;
  invoice: BilledInvoice;
  subscription: StartedSubscription | null;
  /** Set on the stored first answer given again to a retry with the same Idempotency-Key (never stored). */
  replayed?: true;
}

const MESSAGES: Record<ChargeStatus, (result: InvoiceCharged) => string> = {
  succeeded: (result) => `Invoice ${result.invoice.number ?? result.invoice.id} was paid.`,
  requires_action: () =>
    "The card needs 3-D Secure: let the customer authenticate with the PaymentIntent's client_secret or on the hosted invoice page.",
  processing: () => 'The payment is processing; Stripe will settle it shortly.',
  nothing_to_charge: () => "Nothing was charged: customer credit covers the invoice, or its amount is below Stripe's minimum charge.",
};

/** One sentence on how the charge ended, the same for every adapter. */
export function describeCharge(result: InvoiceCharged): string {
  return MESSAGES[result.status](result);
}

/** Stripe's PaymentIntent status → how the call ended. A PaymentIntent that still needs a payment method is a decline. */
export function toInvoiceCharged(charged: ChargeResult): InvoiceCharged {
  const status = chargeStatusOf(charged);
  if (!status) throw new PaymentDeclined(undefined, charged.invoice.id);
  return { status, paymentIntent: charged.paymentIntent, invoice: charged.invoice, subscription: charged.subscription };
}

/** How a charge Stripe attempted stands; undefined when its payment failed (a decline, or no payment method). */
export function chargeStatusOf(charged: ChargeResult): ChargeStatus | undefined {
  const intent = charged.paymentIntent;
  return intent ? intentStatusOf(intent.status) : 'nothing_to_charge';
}

/** Stripe's PaymentIntent status → where the payment stands; undefined when it needs another payment method (failed). */
export function intentStatusOf(status: string): Exclude<ChargeStatus, 'nothing_to_charge'> | undefined {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'requires_action':
    case 'requires_confirmation':
      return 'requires_action';
    case 'processing':
    case 'requires_capture':
      return 'processing';
    default:
      return undefined;
  }
}
