import type Stripe from 'stripe';
import type { AccountStore } from '../account-store';
import { EmulatorError, invalidRequest, noSuch } from '../emulator-errors';
import { TEST_CARDS, customerObject, paymentMethodObject } from '../objects/customer';
import { Params } from '../params';
import type { Route, RouteContext } from '../route';

/** Attaching a test token (`pm_card_visa`) creates a new PaymentMethod on the customer, as Stripe does. */
function attach(store: AccountStore, token: string, customer: Stripe.Customer, now: number): Stripe.PaymentMethod {
  const existing = store.paymentMethods.get(token);
  if (existing) {
    existing.customer = customer.id;
    return existing;
  }
  if (token.startsWith('pm_card_visa_chargeDeclined')) {
    throw new EmulatorError(402, { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
  }
  const card = TEST_CARDS[token];
  if (!card) throw noSuch('PaymentMethod', token, 'payment_method');
  const method = store.put(store.paymentMethods, paymentMethodObject(store.base('pm', now), card, customer.id));
  store.cardBehaviour.set(method.id, card.behaviour);
  return method;
}

function setDefaultMethod(store: AccountStore, customer: Stripe.Customer, settings: Params | undefined, attached: Map<string, string>): void {
  const requested = settings?.string('default_payment_method');
  if (requested === undefined) return;
  const id = attached.get(requested) ?? requested;
  const method = store.paymentMethods.get(id);
  if (!method || method.customer !== customer.id) {
    throw invalidRequest(`The customer does not have a payment method with the ID ${requested}.`, {
      param: 'invoice_settings[default_payment_method]',
    });
  }
  customer.invoice_settings.default_payment_method = id;
}

const CUSTOMER_FIELDS = ['email', 'name', 'description', 'metadata', 'balance', 'payment_method', 'invoice_settings', 'test_clock'];

function testClock(store: AccountStore, id: string | undefined): string | null {
  if (id === undefined) return null;
  if (!store.testClocks.has(id)) throw noSuch('test_clock', id, 'test_clock');
  return id;
}

function createCustomer({ store, values, now }: RouteContext): Stripe.Customer {
  const params = new Params(values, CUSTOMER_FIELDS);
  const customer = store.put(
    store.customers,
    customerObject(store.base('cus', now, params.metadata()), {
      email: params.string('email') ?? null,
      name: params.string('name') ?? null,
      description: params.string('description') ?? null,
      balance: params.integer('balance') ?? 0,
    }),
  );
  customer.test_clock = testClock(store, params.string('test_clock'));
  const attached = new Map<string, string>();
  const token = params.string('payment_method');
  if (token) attached.set(token, attach(store, token, customer, now).id);
  setDefaultMethod(store, customer, params.nested('invoice_settings', ['default_payment_method']), attached);
  return customer;
}

function updateCustomer({ store, values, ids }: RouteContext): Stripe.Customer {
  const customer = store.customers.get(ids[0]!);
  if (!customer) throw noSuch('customer', ids[0]!);
  store.touch(customer);
  const params = new Params(values, CUSTOMER_FIELDS.filter((field) => field !== 'payment_method' && field !== 'test_clock'));
  if (params.has('email')) customer.email = params.string('email') ?? null;
  if (params.has('name')) customer.name = params.string('name') ?? null;
  if (params.has('balance')) customer.balance = params.integer('balance') ?? 0;
  if (params.has('metadata')) customer.metadata = { ...customer.metadata, ...params.metadata() };
  setDefaultMethod(store, customer, params.nested('invoice_settings', ['default_payment_method']), new Map());
  return customer;
}

export const customerRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/customers$/, operation: 'customer.create', returns: 'customer', handle: createCustomer },
  {
    method: 'GET', pattern: /^\/v1\/customers\/([^/]+)$/, operation: 'customer.retrieve', returns: 'customer',
    handle: ({ store, ids }) => {
      const customer = store.customers.get(ids[0]!);
      if (!customer) throw noSuch('customer', ids[0]!);
      return customer;
    },
  },
  { method: 'POST', pattern: /^\/v1\/customers\/([^/]+)$/, operation: 'customer.update', returns: 'customer', handle: updateCustomer },
  {
    method: 'POST', pattern: /^\/v1\/payment_methods\/([^/]+)\/attach$/, operation: 'payment_method.attach', returns: 'payment_method',
    handle: ({ store, values, ids, now }) => {
      const params = new Params(values, ['customer']);
      const customerId = params.requiredString('customer');
      const customer = store.customers.get(customerId);
      if (!customer) throw noSuch('customer', customerId, 'customer');
      return attach(store, ids[0]!, customer, now);
    },
  },
  {
    method: 'GET', pattern: /^\/v1\/payment_methods\/([^/]+)$/, operation: 'payment_method.retrieve', returns: 'payment_method',
    handle: ({ store, ids }) => {
      const method = store.paymentMethods.get(ids[0]!);
      if (!method) throw noSuch('PaymentMethod', ids[0]!);
      return method;
    },
  },
];
