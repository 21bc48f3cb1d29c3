import type { ChargeResult } from './billing-provider';
import type { FailureRecord } from './final-outcome';
import type { LedgerSettlement } from './ports';

const FAILURE_OUTCOMES: Record<FailureRecord['code'], LedgerSettlement['outcome']> = {
  PAYMENT_DECLINED: 'declined',
  NO_PAYMENT_METHOD: 'no_payment_method',
  PRICE_NOT_USABLE: 'rejected',
  TAX_RATE_NOT_APPLICABLE: 'rejected',
  FORBIDDEN: 'rejected',
  INTERNAL: 'aborted',
};

/** What a ledger row is settled with: how the attempt ended, and the Stripe objects it reached. */
export function settlement(
  outcome: LedgerSettlement['outcome'],
  finishedAt: Date,
  reached: { result?: ChargeResult | null; invoiceId?: string | null; declineCode?: string | null } = {},
): LedgerSettlement {
  return {
    outcome,
    stripeInvoiceId: reached.result?.invoice.id ?? reached.invoiceId ?? null,
    stripePaymentIntentId: reached.result?.paymentIntent?.id ?? null,
    stripeSubscriptionId: reached.result?.subscription?.id ?? null,
    declineCode: reached.declineCode ?? null,
    finishedAt,
  };
}

/** The settlement of a failed attempt: a kept failure, or `unknown` when nobody knows yet whether Stripe charged. */
export function failedSettlement(failure: FailureRecord | undefined, finishedAt: Date): LedgerSettlement {
  if (!failure) return settlement('unknown', finishedAt);
  return settlement(FAILURE_OUTCOMES[failure.code], finishedAt, { invoiceId: failure.invoiceId, declineCode: failure.declineCode });
}
