import type Stripe from 'stripe';
import type { AccountStore } from '../account-store';
import { EmulatorError, invalidRequest, noSuch } from '../emulator-errors';
import { addLine, finalizeInvoice } from '../invoicing';
import { attemptPayment, paymentError, type PaymentAttempt } from '../payments';
import { usablePrice, usableTaxRates } from '../line-inputs';
import { invoiceObject } from '../objects/invoice';
import { subscriptionObject } from '../objects/subscription';
import { stripeObjectId } from '../object-ids';
import { Params } from '../params';
import { periodEnd, timeOf } from '../renewals';
import type { Route, RouteContext } from '../route';

/**
 * `POST /v1/subscriptions`: the subscription, its first invoice (finalized at once) and the first payment attempt.
 * `allow_incomplete` keeps a failed or 3-D Secure payment as an `incomplete` subscription; `error_if_incomplete`
 * answers with the payment error and leaves nothing behind; `default_incomplete` does not attempt payment.
 */
function createSubscription(context: RouteContext): Stripe.Subscription {
  const { store, values, now, settings } = context;
  const params = new Params(values, [
    'customer', 'items', 'default_tax_rates', 'collection_method', 'payment_behavior', 'off_session',
    'invoice_settings', 'metadata', 'default_payment_method', 'description', 'proration_behavior',
  ]);
  const customerId = params.requiredString('customer');
  const customer = store.customers.get(customerId);
  if (!customer) throw noSuch('customer', customerId, 'customer');
  const items = params.list('items', ['price', 'quantity', 'tax_rates', 'metadata']);
  if (items.length !== 1) throw invalidRequest('The emulator supports subscriptions with exactly one item.', { param: 'items' });
  const item = items[0]!;
  const price = usablePrice(store, item.requiredString('price'), 'items[0][price]', 'recurring');
  const quantity = item.integer('quantity') ?? 1;
  const taxRates = usableTaxRates(store, params.strings('default_tax_rates'), 'default_tax_rates');
  const behaviour =
    params.oneOf('payment_behavior', ['allow_incomplete', 'error_if_incomplete', 'default_incomplete', 'pending_if_incomplete'] as const) ??
    'allow_incomplete';
  if (behaviour === 'pending_if_incomplete') throw invalidRequest('The emulator does not support pending_if_incomplete.');
  const footer = params.nested('invoice_settings', ['footer'])?.string('footer') ?? null;
  const metadata = params.metadata();
  const start = timeOf(store, customer, now);
  const end = periodEnd(price, start);
  const undo = snapshot(store, customer);

  const subscription = store.put(
    store.subscriptions,
    subscriptionObject(store.base('sub', start, metadata), {
      customer: customerId, price, quantity, itemId: stripeObjectId('si'), taxRates,
      collectionMethod: params.oneOf('collection_method', ['charge_automatically', 'send_invoice'] as const) ?? 'charge_automatically',
      footer, periodEnd: end,
    }),
  );
  subscription.test_clock = customer.test_clock ?? null;
  subscription.default_payment_method = params.string('default_payment_method') ?? null;
  const invoice = store.put(
    store.invoices,
    invoiceObject(store.base('in', start, {}), {
      customer, currency: price.currency, collectionMethod: subscription.collection_method, autoAdvance: true, footer,
      description: null, billingReason: 'subscription_create', subscription: subscription.id, subscriptionMetadata: metadata,
    }),
  );
  const line = { id: subscription.id, item: subscription.items.data[0]!.id, periodEnd: end };
  addLine(store, invoice, { price, quantity, taxRates, metadata: {}, subscription: line }, start);
  finalizeInvoice(store, invoice, start, settings.baseUrl);
  subscription.latest_invoice = invoice.id;

  const attempt: PaymentAttempt =
    behaviour === 'default_incomplete' ? { outcome: 'nothing_due' } : attemptPayment(store, invoice, start, params.string('default_payment_method'));
  if (invoice.status === 'paid') {
    subscription.status = 'active';
  } else if (behaviour === 'error_if_incomplete') {
    undo();
    throw subscriptionError(attempt);
  }
  return subscription;
}

function subscriptionError(attempt: PaymentAttempt): EmulatorError {
  if (attempt.outcome === 'requires_action') {
    return new EmulatorError(402, {
      type: 'card_error',
      code: 'subscription_payment_intent_requires_action',
      message: 'Payment for this subscription requires additional user action before it can be completed successfully.',
    });
  }
  return paymentError(attempt) ?? invalidRequest('The first payment of the subscription failed.');
}

/** Remembers what a subscription creation may change, so that `error_if_incomplete` can leave nothing behind. */
function snapshot(store: AccountStore, customer: Stripe.Customer): () => void {
  const before = {
    subscriptions: new Set(store.subscriptions.keys()),
    invoices: new Set(store.invoices.keys()),
    intents: new Set(store.paymentIntents.keys()),
    payments: new Set(store.invoicePayments.keys()),
    balance: customer.balance,
    sequence: customer.next_invoice_sequence,
  };
  return () => {
    for (const [map, kept] of [
      [store.subscriptions, before.subscriptions],
      [store.invoices, before.invoices],
      [store.paymentIntents, before.intents],
      [store.invoicePayments, before.payments],
    ] as [Map<string, unknown>, Set<string>][]) {
      for (const id of map.keys()) if (!kept.has(id)) map.delete(id);
    }
    customer.balance = before.balance;
    customer.next_invoice_sequence = before.sequence;
  };
}

function cancel(context: RouteContext): Stripe.Subscription {
  const { store, ids, values, now } = context;
  const subscription = store.subscriptions.get(ids[0]!);
  if (!subscription) throw noSuch('subscription', ids[0]!);
  new Params(values, ['invoice_now', 'prorate', 'cancellation_details']);
  if (subscription.status === 'canceled') {
    throw invalidRequest('A canceled subscription can only update its cancellation_details and metadata.');
  }
  store.touch(subscription).status = 'canceled';
  subscription.canceled_at = now;
  subscription.ended_at = now;
  subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: 'cancellation_requested' };
  return subscription;
}

export const subscriptionRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/subscriptions$/, operation: 'subscription.create', returns: 'subscription', handle: createSubscription },
  {
    method: 'GET', pattern: /^\/v1\/subscriptions\/([^/]+)$/, operation: 'subscription.retrieve', returns: 'subscription',
    handle: ({ store, ids }) => {
      const subscription = store.subscriptions.get(ids[0]!);
      if (!subscription) throw noSuch('subscription', ids[0]!);
      return subscription;
    },
  },
  { method: 'DELETE', pattern: /^\/v1\/subscriptions\/([^/]+)$/, operation: 'subscription.cancel', returns: 'subscription', handle: cancel },
  {
    method: 'GET', pattern: /^\/v1\/payment_intents\/([^/]+)$/, operation: 'payment_intent.retrieve', returns: 'payment_intent',
    handle: ({ store, ids }) => {
      const intent = store.paymentIntents.get(ids[0]!);
      if (!intent) throw noSuch('payment_intent', ids[0]!);
      return intent;
    },
  },
];
