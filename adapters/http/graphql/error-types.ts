import { CREATE_STRIPE_INVOICE_ERRORS } from '../../../application/create-stripe-invoice';
import { ChargeAborted, NotFound, StripeAccountRejected, UpstreamUnavailable, type CodeOf } from '../../../application/errors';
import type { PREVIEW_STRIPE_INVOICE_ERRORS } from '../../../application/preview-stripe-invoice';
import type { READ_INVOICES_ERRORS } from '../../../application/read-invoices';
import {
  Forbidden,
  IdempotencyInProgress,
  IdempotencyKeyReused,
  NoPaymentMethod,
  PaymentDeclined,
  PriceNotUsable,
  TaxRateNotApplicable,
  TenantMismatch,
  ValidationFailed,
} from '../../../domain/errors';
import { builder } from './builder';

/** Every expected failure is a type with the REST `code` and sentence, so clients branch on `__typename` or `code`. */
const ErrorInterface = builder.interfaceRef<Error & { code: string }>('Error').implement({
  fields: (t) => ({
    code: t.string({ resolve: (error) => error.code }),
    message: t.exposeString('message'),
  }),
});

const FieldIssue = builder.objectRef<{ path: string; message: string }>('FieldIssue').implement({
  fields: (t) => ({ path: t.exposeString('path'), message: t.exposeString('message') }),
});

/**
 * The GraphQL type of each error the use cases list, by its code: a use case that gains an error without a type here
 * does not compile.
 */
export const ERROR_TYPES = {
  VALIDATION_FAILED: builder.objectType(ValidationFailed, {
    name: 'ValidationFailedError',
    interfaces: [ErrorInterface],
    fields: (t) => ({ issues: t.field({ type: [FieldIssue], resolve: (error) => [...error.issues] }) }),
  }),
  PAYMENT_DECLINED: builder.objectType(PaymentDeclined, {
    name: 'PaymentDeclinedError',
    interfaces: [ErrorInterface],
    fields: (t) => ({
      declineCode: t.string({ nullable: true, resolve: (error) => error.declineCode ?? null }),
      invoiceId: t.string({ nullable: true, resolve: (error) => error.invoiceId ?? null }),
      subscriptionId: t.string({ nullable: true, description: 'The subscription whose first invoice was declined (cancelled since).', resolve: (error) => error.subscriptionId ?? null }),
    }),
  }),
  IDEMPOTENCY_IN_PROGRESS: builder.objectType(IdempotencyInProgress, {
    name: 'IdempotencyInProgressError',
    interfaces: [ErrorInterface],
    fields: (t) => ({ retryAfterSeconds: t.int({ resolve: (error) => error.retryAfterSeconds }) }),
  }),
  UPSTREAM_UNAVAILABLE: builder.objectType(UpstreamUnavailable, {
    name: 'UpstreamUnavailableError',
    interfaces: [ErrorInterface],
    fields: (t) => ({ retryAfterSeconds: t.int({ resolve: (error) => error.retryAfterSeconds }) }),
  }),
  // Errors with only the interface's fields.
  TENANT_MISMATCH: builder.objectType(TenantMismatch, { name: 'TenantMismatchError', interfaces: [ErrorInterface], fields: () => ({}) }),
  FORBIDDEN: builder.objectType(Forbidden, { name: 'ForbiddenError', interfaces: [ErrorInterface], fields: () => ({}) }),
  PRICE_NOT_USABLE: builder.objectType(PriceNotUsable, { name: 'PriceNotUsableError', interfaces: [ErrorInterface], fields: () => ({}) }),
  TAX_RATE_NOT_APPLICABLE: builder.objectType(TaxRateNotApplicable, { name: 'TaxRateNotApplicableError', interfaces: [ErrorInterface], fields: () => ({}) }),
  NO_PAYMENT_METHOD: builder.objectType(NoPaymentMethod, { name: 'NoPaymentMethodError', interfaces: [ErrorInterface], fields: () => ({}) }),
  IDEMPOTENCY_KEY_REUSED: builder.objectType(IdempotencyKeyReused, { name: 'IdempotencyKeyReusedError', interfaces: [ErrorInterface], fields: () => ({}) }),
  INTERNAL: builder.objectType(ChargeAborted, { name: 'ChargeAbortedError', interfaces: [ErrorInterface], fields: () => ({}) }),
  NOT_FOUND: builder.objectType(NotFound, { name: 'NotFoundError', interfaces: [ErrorInterface], fields: () => ({}) }),
  STRIPE_ACCOUNT_MISCONFIGURED: builder.objectType(StripeAccountRejected, {
    name: 'StripeAccountMisconfiguredError',
    interfaces: [ErrorInterface],
    fields: () => ({}),
  }),
} satisfies Record<
  CodeOf<(typeof CREATE_STRIPE_INVOICE_ERRORS | typeof READ_INVOICES_ERRORS | typeof PREVIEW_STRIPE_INVOICE_ERRORS)[number]>,
  unknown
>;

/** The failures the mutation answers as union members; anything else is an unexpected (masked) error. */
export const EXPECTED_ERRORS = [...CREATE_STRIPE_INVOICE_ERRORS];
