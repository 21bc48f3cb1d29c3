/** The machine codes of the broken business rules (contract.md §1); adapters map each to an HTTP status or GraphQL type. */
export type DomainErrorCode =
  | 'VALIDATION_FAILED'
  | 'TENANT_MISMATCH'
  | 'PRICE_NOT_USABLE'
  | 'TAX_RATE_NOT_APPLICABLE'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'PAYMENT_DECLINED'
  | 'NO_PAYMENT_METHOD'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'IDEMPOTENCY_KEY_REUSED';

/**
 * A rule of the business was broken. Each subclass is one contract code; `reason` tells apart the invariants
 * that share a code so that callers, tests and logs can see exactly which rule failed.
 */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  abstract readonly reason: string;

  constructor(message: string) {
    // An answer for the caller, not a bug: nothing reads its stack, and capturing one was a measurable part of a 401.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = new.target.name;
  }
}

export type ValidationReason =
  | 'invalid_id'
  | 'invalid_amount'
  | 'invalid_currency'
  | 'invalid_country'
  | 'invalid_quantity'
  | 'footer_too_long'
  | 'footer_has_control_characters'
  | 'footer_not_unicode'
  | 'invalid_idempotency_key'
  | 'invalid_request';

export class ValidationFailed extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(
    readonly reason: ValidationReason,
    message: string,
    /** Field-level problems, for schema violations: path → message. */
    readonly issues: readonly { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export class TenantMismatch extends DomainError {
  readonly code = 'TENANT_MISMATCH';
  readonly reason = 'body_tenant_differs_from_path';
  constructor() {
    super('The tenantId in the body does not match the tenant in the path.');
  }
}

export type PriceReason = 'not_found' | 'inactive' | 'mode_mismatch' | 'no_unit_amount' | 'metered' | 'currency_mismatch';

export class PriceNotUsable extends DomainError {
  readonly code = 'PRICE_NOT_USABLE';
  constructor(
    readonly reason: PriceReason,
    message: string,
  ) {
    super(message);
  }
}

export type TaxRateReason = 'not_found' | 'inactive' | 'inclusive_conflict' | 'country_mismatch' | 'invalid_percentage';

export class TaxRateNotApplicable extends DomainError {
  readonly code = 'TAX_RATE_NOT_APPLICABLE';
  constructor(
    readonly reason: TaxRateReason,
    message: string,
  ) {
    super(message);
  }
}

export type UnauthenticatedReason =
  | 'missing_credentials'
  | 'unknown_key'
  | 'revoked_key'
  | 'expired_key'
  | 'client_id_mismatch'
  | 'key_type_mismatch';

export class Unauthenticated extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  constructor(readonly reason: UnauthenticatedReason) {
    // One sentence for every reason: a caller probing keys learns nothing from the body.
    super('The API key, key type or client id is missing or not valid.');
  }
}

export type ForbiddenReason = 'read_key' | 'tenant_not_found' | 'not_a_member' | 'no_customer' | 'no_stripe_account';

export class Forbidden extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor(
    readonly reason: ForbiddenReason,
    message: string,
  ) {
    super(message);
  }
}

export class PaymentDeclined extends DomainError {
  readonly code = 'PAYMENT_DECLINED';
  readonly reason = 'card_declined';
  constructor(
    readonly declineCode: string | undefined,
    readonly invoiceId: string | undefined,
    /** The subscription whose first invoice was declined (the service cancels it). */
    readonly subscriptionId?: string | undefined,
  ) {
    super(`The card was declined${declineCode ? ` (${declineCode})` : ''}${subscriptionId ? ` for the first invoice of the subscription ${subscriptionId}` : ''}.`);
  }
}

export class NoPaymentMethod extends DomainError {
  readonly code = 'NO_PAYMENT_METHOD';
  readonly reason = 'no_default_payment_method';
  /** The invoice Stripe could not collect (voided since), when there was one. */
  constructor(readonly invoiceId?: string | undefined) {
    super('The tenant has no default payment method to charge.');
  }
}

export class IdempotencyInProgress extends DomainError {
  readonly code = 'IDEMPOTENCY_IN_PROGRESS';
  readonly reason = 'in_flight';
  constructor(readonly retryAfterSeconds: number) {
    super('A request with this Idempotency-Key is still being processed; retry later.');
  }
}

export class IdempotencyKeyReused extends DomainError {
  readonly code = 'IDEMPOTENCY_KEY_REUSED';
  readonly reason = 'different_request';
  constructor() {
    super('This Idempotency-Key was already used with a different request.');
  }
}
