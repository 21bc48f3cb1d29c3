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
import type { FailureRecord } from './invoice-charged';

/** The failures worth remembering: a retry with the same key must hear the same answer, not charge again. */
export function toFailureRecord(error: unknown): FailureRecord | undefined {
  if (error instanceof PaymentDeclined) {
    return {
      code: error.code,
      reason: error.reason,
      message: error.message,
      declineCode: error.declineCode ?? null,
      invoiceId: error.invoiceId ?? null,
    };
  }
  if (
    error instanceof NoPaymentMethod ||
    error instanceof PriceNotUsable ||
    error instanceof TaxRateNotApplicable ||
    error instanceof Forbidden
  ) {
    return { code: error.code, reason: error.reason, message: error.message };
  }
  return undefined;
}

/** The same error class as the first answer, so that every adapter renders a replay exactly as the original. */
export function rebuildFailure(failure: FailureRecord): DomainError {
  switch (failure.code) {
    case 'PAYMENT_DECLINED':
      return new PaymentDeclined(failure.declineCode ?? undefined, failure.invoiceId ?? undefined);
    case 'NO_PAYMENT_METHOD':
      return new NoPaymentMethod();
    case 'PRICE_NOT_USABLE':
      return new PriceNotUsable(failure.reason as PriceReason, failure.message);
    case 'TAX_RATE_NOT_APPLICABLE':
      return new TaxRateNotApplicable(failure.reason as TaxRateReason, failure.message);
    case 'FORBIDDEN':
      return new Forbidden(failure.reason as ForbiddenReason, failure.message);
  }
}
