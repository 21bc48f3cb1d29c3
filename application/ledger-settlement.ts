import type { InvoiceId } from '../domain/ids';
import type { ChargeResult } from './billing-provider';
import type { FailureRecord } from './final-outcome';
import type { ChargeStatus } from './invoice-charged';
import { subscriptionStatusOf, type InvoiceRecord } from './invoice-record';
import { invoiceStatusOf } from './lifecycle/invoice-life';
import type { LedgerEntry, LedgerSettlement } from './ports';

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

/**
 * The record of a charge that Stripe collected (or is collecting), from its attempt and what Stripe answered. `readAt`
 * is when the Stripe requests that told it began: a webhook's later reading of the invoice wins over this one.
 */
export function chargedInvoiceRecord(entry: LedgerEntry, charged: ChargeResult, status: ChargeStatus, at: Date, readAt = at): InvoiceRecord {
  const { invoice } = charged;
  return {
    ...identityOf(entry, invoice.id as InvoiceId),
    number: invoice.number,
    status: invoiceStatusOf(invoice.status),
    paymentStatus: status,
    currency: invoice.currency,
    subtotal: invoice.subtotal,
    tax: invoice.tax,
    total: invoice.total,
    amountPaid: invoice.amountPaid,
    amountRefunded: 0,
    hostedInvoiceUrl: invoice.hostedInvoiceUrl,
    invoicePdf: invoice.invoicePdf,
    paymentIntentId: charged.paymentIntent?.id ?? null,
    subscriptionId: charged.subscription?.id ?? null,
    billingReason: billingReasonOf(entry),
    subscriptionStatus: charged.subscription ? (subscriptionStatusOf(charged.subscription.status) ?? null) : null,
    createdAt: at,
    updatedAt: readAt,
  };
}

/** The record of an invoice whose payment failed (declined, or no payment method): the service voided it. */
export function failedInvoiceRecord(entry: LedgerEntry, invoiceId: string, at: Date, readAt = at): InvoiceRecord {
  return {
    ...identityOf(entry, invoiceId as InvoiceId),
    number: null,
    status: 'void',
    paymentStatus: 'failed',
    currency: entry.currency,
    subtotal: entry.subtotal,
    tax: entry.tax,
    total: entry.total,
    amountPaid: 0,
    amountRefunded: 0,
    hostedInvoiceUrl: null,
    invoicePdf: null,
    paymentIntentId: null,
    subscriptionId: null,
    billingReason: billingReasonOf(entry),
    subscriptionStatus: null,
    createdAt: at,
    updatedAt: readAt,
  };
}

function billingReasonOf(entry: LedgerEntry): string {
  return entry.mode === 'subscription' ? 'subscription_create' : 'manual';
}

function identityOf(entry: LedgerEntry, id: InvoiceId) {
  return {
    id,
    appId: entry.appId,
    tenantId: entry.tenantId,
    userId: entry.userId,
    operationId: entry.operationId,
    idempotencyKey: entry.idempotencyKey,
    mode: entry.mode,
    livemode: entry.livemode,
  };
}

/** The invoice a failed attempt leaves: a failed payment's voided invoice; nothing for other failures. */
export function failedInvoiceOf(entry: LedgerEntry, failure: FailureRecord | undefined, at: Date, readAt = at): InvoiceRecord | undefined {
  const paymentFailed = failure?.code === 'PAYMENT_DECLINED' || failure?.code === 'NO_PAYMENT_METHOD';
  return paymentFailed && failure.invoiceId ? failedInvoiceRecord(entry, failure.invoiceId, at, readAt) : undefined;
}
