import Stripe from 'stripe';
import { BillingRequestRejected, StripeAccountRejected } from '../../application/errors';
import {
  Forbidden,
  NoPaymentMethod,
  PaymentDeclined,
  PriceNotUsable,
  TaxRateNotApplicable,
  type PriceReason,
} from '../../domain/errors';
import type { StripeMode } from '../../domain/modes';

const NO_PAYMENT_METHOD_CODES = new Set(['invoice_no_payment_method_types', 'missing', 'payment_intent_unexpected_state']);
const REQUIRES_ACTION_CODES = new Set([
  'invoice_payment_intent_requires_action',
  'subscription_payment_intent_requires_action',
  'authentication_required',
]);

/** Stripe says the card needs 3-D Secure: not a failure, the caller gets the PaymentIntent to authenticate. */
export function isRequiresAction(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && REQUIRES_ACTION_CODES.has(error.code ?? '');
}

/** Stripe refused to pay a draft: the account wants an explicit finalize first. */
export function isDraftPayRefusal(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && /draft/i.test(error.message) && !/no such/i.test(error.message);
}

export function isNotFound(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeError && error.code === 'resource_missing';
}

/**
 * The one table of Stripe failures the use case reacts to. Anything else Stripe refuses (our own bad request, an
 * idempotency conflict of our keys, an object in a state we did not expect) no retry changes: BillingRequestRejected.
 */
export function translateStripeError(error: unknown, mode: StripeMode): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const param = error.param ?? '';
  const message = error.message;
  if (error instanceof Stripe.errors.StripeAuthenticationError || error instanceof Stripe.errors.StripePermissionError) {
    return new StripeAccountRejected(mode);
  }
  if (error instanceof Stripe.errors.StripeCardError && !isRequiresAction(error)) {
    return new PaymentDeclined(error.decline_code ?? error.code ?? undefined, undefined);
  }
  if (NO_PAYMENT_METHOD_CODES.has(error.code ?? '') || /no attached payment source or default payment method/i.test(message)) {
    return new NoPaymentMethod();
  }
  if (error.code === 'resource_missing' && param === 'customer') {
    return new Forbidden('no_customer', `The tenant's Stripe customer does not exist in Stripe ${mode} mode.`);
  }
  const reason = param.includes('price') ? priceReason(error) : undefined;
  if (reason) return new PriceNotUsable(reason, `Stripe refused the price: ${message}`);
  if (param.includes('tax_rates')) {
    return new TaxRateNotApplicable(error.code === 'resource_missing' ? 'not_found' : 'inactive', `Stripe refused the tax rate: ${message}`);
  }
  return new BillingRequestRejected(`Stripe refused the request (${error.type}${error.code ? `/${error.code}` : ''}): ${message}`);
}

function priceReason(error: Stripe.errors.StripeError): PriceReason | undefined {
  if (error.code === 'resource_missing') return 'not_found';
  if (/inactive/i.test(error.message)) return 'inactive';
  if (/type=/.test(error.message)) return 'mode_mismatch';
  if (/currency/i.test(error.message)) return 'currency_mismatch';
  return undefined;
}
