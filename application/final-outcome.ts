import {
  DomainError,
  Forbidden,
  NoPaymentMethod,
  PaymentDeclined,
  PriceNotUsable,
  TaxRateNotApplicable,
  type ForbiddenReason,
  type PriceReason,
  type TaxRateReason,
} from '../domain/errors';
import { ChargeAborted, type AbortReason } from './errors';
import type { InvoiceCharged } from './invoice-charged';

/** A business failure that happened once Stripe was involved, kept so that a retry hears the same answer. */
export interface FailureRecord {
  code: 'PAYMENT_DECLINED' | 'NO_PAYMENT_METHOD' | 'PRICE_NOT_USABLE' | 'TAX_RATE_NOT_APPLICABLE' | 'FORBIDDEN' | 'INTERNAL';
  reason: string;
  message: string;
  declineCode?: string | null;
  invoiceId?: string | null;
  subscriptionId?: string | null;
}

/** The final answer of an operation, kept with its Idempotency-Key and replayed to every retry. */
export type FinalOutcome = { kind: 'charged'; result: InvoiceCharged } | { kind: 'failed'; failure: FailureRecord };

/** The failures worth remembering: a retry with the same key must hear the same answer, not charge again. */
export function toFailureRecord(error: unknown): FailureRecord | undefined {
  if (error instanceof PaymentDeclined) {
    return {
      code: error.code,
      reason: error.reason,
      message: error.message,
      declineCode: error.declineCode ?? null,
      invoiceId: error.invoiceId ?? null,
      subscriptionId: error.subscriptionId ?? null,
    };
  }
  if (error instanceof NoPaymentMethod) {
    return { code: error.code, reason: error.reason, message: error.message, invoiceId: error.invoiceId ?? null };
  }
  if (
    error instanceof PriceNotUsable ||
    error instanceof TaxRateNotApplicable ||
    error instanceof Forbidden
  ) {
    return { code: error.code, reason: error.reason, message: error.message };
  }
  if (error instanceof ChargeAborted) return { code: error.code, reason: error.reason, message: error.message };
  return undefined;
}

/** The first answer's failure, given again to a retry with the same Idempotency-Key, marked as a replay. */
export function replayedFailure(failure: FailureRecord): DomainError | ChargeAborted {
  return Object.assign(rebuildFailure(failure), { replayed: true as const });
}

/** Whether an error is a stored failure given again (adapters say so, as Stripe does with Idempotent-Replayed). */
export function isReplayed(error: unknown): boolean {
  return (error as { replayed?: unknown } | null)?.replayed === true;
}

/** The same error class as the first answer, so that every adapter renders a replay exactly as the original. */
export function rebuildFailure(failure: FailureRecord): DomainError | ChargeAborted {
  switch (failure.code) {
    case 'PAYMENT_DECLINED':
      return new PaymentDeclined(failure.declineCode ?? undefined, failure.invoiceId ?? undefined, failure.subscriptionId ?? undefined);
    case 'NO_PAYMENT_METHOD':
      return new NoPaymentMethod(failure.invoiceId ?? undefined);
    case 'PRICE_NOT_USABLE':
      return new PriceNotUsable(failure.reason as PriceReason, failure.message);
    case 'TAX_RATE_NOT_APPLICABLE':
      return new TaxRateNotApplicable(failure.reason as TaxRateReason, failure.message);
    case 'FORBIDDEN':
      return new Forbidden(failure.reason as ForbiddenReason, failure.message);
    case 'INTERNAL':
      return new ChargeAborted(failure.reason as AbortReason);
  }
}
