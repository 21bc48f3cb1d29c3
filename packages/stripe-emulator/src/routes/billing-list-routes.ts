import type Stripe from 'stripe';
import type { Params } from '../params';
import type { Route } from '../route';
import { equalTo, flag, listRoute } from './list-route';

const INVOICE_STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;
const SUBSCRIPTION_STATUSES = [
  'active', 'all', 'canceled', 'ended', 'incomplete', 'incomplete_expired', 'past_due', 'paused', 'trialing', 'unpaid',
] as const;

/** Unfiltered, Stripe lists no canceled subscription; `ended` is canceled or expired before its first payment. */
function subscriptionStatus(params: Params): (status: Stripe.Subscription.Status) => boolean {
  const wanted = params.oneOf('status', SUBSCRIPTION_STATUSES);
  if (wanted === undefined) return (status) => status !== 'canceled';
  if (wanted === 'all') return () => true;
  if (wanted === 'ended') return (status) => status === 'canceled' || status === 'incomplete_expired';
  return (status) => status === wanted;
}

/** Objects of a test clock stay out of a list unless it names the clock (or, for subscriptions, the customer). */
function testClockOf(params: Params, alsoNamedBy?: string): (clock: unknown) => boolean {
  const wanted = params.string('test_clock');
  if (wanted !== undefined) return (clock) => clock === wanted;
  if (alsoNamedBy !== undefined && params.has(alsoNamedBy)) return () => true;
  return (clock) => clock === null || clock === undefined;
}

/** The lists of customers, the catalog, invoices, invoice items, subscriptions and test clocks. */
export const billingListRoutes: Route[] = [
  listRoute<Stripe.Customer>({
    path: '/v1/customers', object: 'customer', filters: ['created', 'email', 'test_clock'], objects: (store) => store.customers.values(),
    matches: (params) => {
      const [created, email, clock] = [params.timeRange('created'), equalTo(params, 'email'), testClockOf(params)];
      return (customer) => created(customer.created) && email(customer.email) && clock(customer.test_clock);
    },
  }),
  listRoute<Stripe.Product>({
    path: '/v1/products', object: 'product', filters: ['created', 'active', 'ids'], objects: (store) => store.products.values(),
    matches: (params) => {
      const [created, active, ids] = [params.timeRange('created'), flag(params, 'active'), params.strings('ids')];
      return (product) => created(product.created) && active(product.active) && (ids.length === 0 || ids.includes(product.id));
    },
  }),
  listRoute<Stripe.Price>({
    path: '/v1/prices', object: 'price', filters: ['created', 'active', 'currency', 'product', 'type', 'recurring', 'lookup_keys'],
    objects: (store) => store.prices.values(),
    matches: (params) => {
      const [created, active, currency, product] = [params.timeRange('created'), flag(params, 'active'), equalTo(params, 'currency'), equalTo(params, 'product')];
      const type = params.oneOf('type', ['one_time', 'recurring'] as const);
      const recurring = params.nested('recurring', ['interval', 'usage_type']);
      const interval = recurring?.oneOf('interval', ['day', 'week', 'month', 'year'] as const);
      const usage = recurring?.oneOf('usage_type', ['licensed', 'metered'] as const);
      const lookupKeys = params.strings('lookup_keys');
      return (price) =>
        created(price.created) && active(price.active) && currency(price.currency) && product(price.product) &&
        (type === undefined || price.type === type) &&
        (interval === undefined || price.recurring?.interval === interval) &&
        (usage === undefined || price.recurring?.usage_type === usage) &&
        (lookupKeys.length === 0 || lookupKeys.includes(price.lookup_key ?? ''));
    },
  }),
  listRoute<Stripe.TaxRate>({
    path: '/v1/tax_rates', object: 'tax_rate', filters: ['created', 'active', 'inclusive'], objects: (store) => store.taxRates.values(),
    matches: (params) => {
      const [created, active, inclusive] = [params.timeRange('created'), flag(params, 'active'), flag(params, 'inclusive')];
      return (rate) => created(rate.created) && active(rate.active) && inclusive(rate.inclusive);
    },
  }),
  listRoute<Stripe.Invoice>({
    path: '/v1/invoices', object: 'invoice', filters: ['created', 'customer', 'status', 'subscription', 'collection_method'],
    objects: (store) => store.invoices.values(),
    matches: (params) => {
      const [created, customer, subscription, method] = [params.timeRange('created'), equalTo(params, 'customer'), equalTo(params, 'subscription'), equalTo(params, 'collection_method')];
      const status = params.oneOf('status', INVOICE_STATUSES);
      return (invoice) =>
        created(invoice.created) && customer(invoice.customer) && method(invoice.collection_method) &&
        subscription(invoice.parent?.subscription_details?.subscription ?? null) && (status === undefined || invoice.status === status);
    },
  }),
  listRoute<Stripe.InvoiceItem>({
    path: '/v1/invoiceitems', object: 'invoiceitem', filters: ['created', 'customer', 'invoice', 'pending'],
    objects: (store) => store.invoiceItems.values(),
    matches: (params) => {
      const [created, customer, invoice, pending] = [params.timeRange('created'), equalTo(params, 'customer'), equalTo(params, 'invoice'), flag(params, 'pending')];
      return (item) => created(item.date) && customer(item.customer) && invoice(item.invoice) && pending(item.invoice === null);
    },
  }),
  listRoute<Stripe.Subscription>({
    path: '/v1/subscriptions', object: 'subscription', filters: ['created', 'customer', 'status', 'price', 'collection_method', 'test_clock'],
    objects: (store) => store.subscriptions.values(),
    matches: (params) => {
      const [created, customer, method] = [params.timeRange('created'), equalTo(params, 'customer'), equalTo(params, 'collection_method')];
      const [status, clock, price] = [subscriptionStatus(params), testClockOf(params, 'customer'), params.string('price')];
      return (subscription) =>
        created(subscription.created) && customer(subscription.customer) && method(subscription.collection_method) &&
        status(subscription.status) && clock(subscription.test_clock) &&
        (price === undefined || subscription.items.data.some((item) => item.price.id === price));
    },
  }),
  listRoute<Stripe.TestHelpers.TestClock>({
    path: '/v1/test_helpers/test_clocks', object: 'test_helpers.test_clock', filters: [], objects: (store) => store.testClocks.values(),
    matches: () => () => true,
  }),
];
