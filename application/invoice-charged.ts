import type { BilledInvoice, PaymentIntentView, StartedSubscription } from './billing-provider';

/** How the charge ended for a successful call: paid, waiting for 3-D Secure, still processing, or nothing to charge. */
export type ChargeStatus = 'succeeded' | 'requires_action' | 'processing' | 'nothing_to_charge';

/** What CreateStripeInvoice returns. Plain JSON data, so that a stored copy replays exactly. */
export interface InvoiceCharged {
  status: ChargeStatus;
  paymentIntent: PaymentIntentView | null;
  invoice: BilledInvoice;
  subscription: StartedSubscription | null;
}

/** A business failure that happened once Stripe was involved, kept so that a retry hears the same answer. */
export interface FailureRecord {
  code: 'PAYMENT_DECLINED' | 'NO_PAYMENT_METHOD' | 'PRICE_NOT_USABLE' | 'TAX_RATE_NOT_APPLICABLE' | 'FORBIDDEN';
  reason: string;
  message: string;
  declineCode?: string | null;
  invoiceId?: string | null;
}

/** The final answer of an operation, kept with its Idempotency-Key and replayed to every retry. */
export type FinalOutcome = { kind: 'charged'; result: InvoiceCharged } | { kind: 'failed'; failure: FailureRecord };

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
