import type Stripe from 'stripe';
import type { AccountStore } from './account-store';
import { EmulatorError, invalidRequest } from './emulator-errors';
import { markPaid } from './invoicing';
import { chargeObject } from './objects/charge';
import { invoicePaymentObject } from './objects/invoice';
import { paymentIntentObject } from './objects/payment-intent';
import { stripeObjectId } from './object-ids';

export type PaymentAttempt =
  | { outcome: 'paid' | 'nothing_due' }
  | { outcome: 'declined' | 'requires_action'; intent: Stripe.PaymentIntent }
  | { outcome: 'no_payment_method'; intent: Stripe.PaymentIntent };

/** Charges an open invoice off-session with the customer's default payment method, reusing the invoice's PaymentIntent. */
export function attemptPayment(store: AccountStore, invoice: Stripe.Invoice, now: number, method?: string): PaymentAttempt {
  if (invoice.status === 'paid') return { outcome: 'nothing_due' };
  const customer = store.customers.get(String(invoice.customer))!;
  const paymentMethod = method ?? invoice.default_payment_method ?? customer.invoice_settings.default_payment_method;
  const intent = store.touch(intentFor(store, invoice, now, paymentMethod ? String(paymentMethod) : null));
  store.touch(invoice);
  invoice.attempted = true;
  invoice.attempt_count += 1;
  if (!paymentMethod) {
    intent.status = 'requires_payment_method';
    return { outcome: 'no_payment_method', intent };
  }

  const behaviour = store.cardBehaviour.get(String(paymentMethod)) ?? 'succeeds';
  intent.payment_method = String(paymentMethod);
  if (behaviour === 'succeeds') {
    collect(store, invoice, intent, now);
    return { outcome: 'paid' };
  }
  if (behaviour === 'declines') {
    fail(store, intent, {
      code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.', type: 'card_error',
      charge: stripeObjectId('ch'), payment_method: store.paymentMethods.get(String(paymentMethod)),
    });
    return { outcome: 'declined', intent };
  }
  intent.status = 'requires_action';
  intent.next_action = { type: 'use_stripe_sdk', use_stripe_sdk: {} };
  return { outcome: 'requires_action', intent };
}

/** The customer's answer to 3-D Secure (`/_emulator/payment_intents/:id/authenticate`, or the hosted page's buttons). */
export function authenticate(store: AccountStore, intent: Stripe.PaymentIntent, outcome: 'succeeded' | 'failed', now: number): void {
  if (intent.status !== 'requires_action') {
    throw invalidRequest(`This PaymentIntent does not require authentication; its status is ${intent.status}.`);
  }
  const invoice = invoiceOfIntent(store, intent.id);
  store.touch(intent);
  if (outcome === 'succeeded' && invoice) return collect(store, store.touch(invoice), intent, now);
  fail(store, intent, {
    code: 'payment_intent_authentication_failure', type: 'card_error',
    message: 'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
  });
  if (invoice) store.touch(invoice).attempt_count += 1;
}

/** Money moved: the PaymentIntent succeeds with a charge, the invoice payment and the invoice are paid. */
function collect(store: AccountStore, invoice: Stripe.Invoice, intent: Stripe.PaymentIntent, now: number): void {
  const charge = store.put(store.charges, chargeObject(store.base('ch', now), intent));
  Object.assign(intent, { status: 'succeeded', amount_received: intent.amount, latest_charge: charge.id, last_payment_error: null, next_action: null });
  const payment = store.paymentsOf(invoice.id).find((candidate) => candidate.payment.payment_intent === intent.id)!;
  Object.assign(store.touch(payment), { status: 'paid', amount_paid: intent.amount });
  payment.status_transitions.paid_at = now;
  markPaid(invoice, intent.amount, now);
  const subscription = invoice.parent?.subscription_details?.subscription;
  const owner = subscription ? store.subscriptions.get(String(subscription)) : undefined;
  if (owner && ['incomplete', 'past_due', 'unpaid'].includes(owner.status)) store.touch(owner).status = 'active';
}

function fail(store: AccountStore, intent: Stripe.PaymentIntent, error: Stripe.PaymentIntent.LastPaymentError): void {
  Object.assign(store.touch(intent), { status: 'requires_payment_method', last_payment_error: error, next_action: null });
}

export function invoiceOfIntent(store: AccountStore, intentId: string): Stripe.Invoice | undefined {
  const payment = [...store.invoicePayments.values()].find((candidate) => candidate.payment.payment_intent === intentId);
  return payment ? store.invoices.get(String(payment.invoice)) : undefined;
}

/** The error `POST /v1/invoices/:id/pay` answers for a payment attempt that did not succeed. */
export function paymentError(attempt: PaymentAttempt): EmulatorError | undefined {
  switch (attempt.outcome) {
    case 'declined':
      return new EmulatorError(402, {
        type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.',
      });
    case 'requires_action':
      return new EmulatorError(402, {
        type: 'card_error',
        code: 'invoice_payment_intent_requires_action',
        message: 'This payment requires additional user action before it can be completed successfully. Payment can be ' +
          'completed using the PaymentIntent associated with the invoice.',
      });
    case 'no_payment_method':
      return invalidRequest(
        'This customer has no attached payment source or default payment method. Please consider adding a default ' +
          'payment method.',
        { code: 'invoice_no_payment_method_types' },
      );
    default:
      return undefined;
  }
}

function intentFor(store: AccountStore, invoice: Stripe.Invoice, now: number, paymentMethod: string | null): Stripe.PaymentIntent {
  const open = store.paymentsOf(invoice.id).find((payment) => payment.status === 'open');
  const existing = open && store.paymentIntents.get(String(open.payment.payment_intent));
  if (existing) return existing;
  const intent = store.put(
    store.paymentIntents,
    paymentIntentObject(store.base('pi', now), {
      amount: invoice.amount_due,
      currency: invoice.currency,
      customer: String(invoice.customer),
      paymentMethod,
      description: `Payment for Invoice ${invoice.number ?? invoice.id}`,
      metadata: {},
    }),
  );
  store.addPayment(invoicePaymentObject(store.base('inpay', now), invoice, intent.id));
  return intent;
}
