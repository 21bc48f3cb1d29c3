import { StripeAccountRejected } from '../../../application/stripe-account-rejected';
import { UpstreamUnavailable } from '../../../application/upstream-unavailable';
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

builder.objectType(ValidationFailed, {
  name: 'ValidationFailedError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [FieldIssue], resolve: (error) => [...error.issues] }) }),
});
builder.objectType(PaymentDeclined, {
  name: 'PaymentDeclinedError',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    declineCode: t.string({ nullable: true, resolve: (error) => error.declineCode ?? null }),
    invoiceId: t.string({ nullable: true, resolve: (error) => error.invoiceId ?? null }),
  }),
});
for (const [type, name] of [
  [IdempotencyInProgress, 'IdempotencyInProgressError'],
  [UpstreamUnavailable, 'UpstreamUnavailableError'],
] as const) {
  builder.objectType(type, {
    name,
    interfaces: [ErrorInterface],
    fields: (t) => ({ retryAfterSeconds: t.int({ resolve: (error) => error.retryAfterSeconds }) }),
  });
}
// Errors with only the interface's fields.
builder.objectType(TenantMismatch, { name: 'TenantMismatchError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(Forbidden, { name: 'ForbiddenError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(PriceNotUsable, { name: 'PriceNotUsableError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(TaxRateNotApplicable, { name: 'TaxRateNotApplicableError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(NoPaymentMethod, { name: 'NoPaymentMethodError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(IdempotencyKeyReused, { name: 'IdempotencyKeyReusedError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(StripeAccountRejected, { name: 'StripeAccountMisconfiguredError', interfaces: [ErrorInterface], fields: () => ({}) });

/** The failures the mutation answers as union members; anything else is an unexpected (masked) error. */
export const EXPECTED_ERRORS = [
  ValidationFailed, TenantMismatch, Forbidden, PriceNotUsable, TaxRateNotApplicable, PaymentDeclined, NoPaymentMethod,
  IdempotencyInProgress, IdempotencyKeyReused, UpstreamUnavailable, StripeAccountRejected,
];
