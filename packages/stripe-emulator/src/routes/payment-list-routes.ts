import type Stripe from 'stripe';
import { noSuch } from '../emulator-errors';
import { PAGE_PARAMS, listPage } from '../list-pages';
import { Params } from '../params';
import type { Route } from '../route';
import { equalTo, listRoute } from './list-route';

const byCharge = (params: Params) => {
  const [created, charge, intent] = [params.timeRange('created'), equalTo(params, 'charge'), equalTo(params, 'payment_intent')];
  return (object: Stripe.Refund | Stripe.Dispute) => created(object.created) && charge(object.charge) && intent(object.payment_intent);
};

/** The lists of payments: PaymentIntents, charges, refunds, disputes and payment methods. */
export const paymentListRoutes: Route[] = [
  listRoute<Stripe.PaymentIntent>({
    path: '/v1/payment_intents', object: 'payment_intent', filters: ['created', 'customer'], objects: (store) => store.paymentIntents.values(),
    matches: (params) => {
      const [created, customer] = [params.timeRange('created'), equalTo(params, 'customer')];
      return (intent) => created(intent.created) && customer(intent.customer);
    },
  }),
  listRoute<Stripe.Charge>({
    path: '/v1/charges', object: 'charge', filters: ['created', 'customer', 'payment_intent'], objects: (store) => store.charges.values(),
    matches: (params) => {
      const [created, customer, intent] = [params.timeRange('created'), equalTo(params, 'customer'), equalTo(params, 'payment_intent')];
      return (charge) => created(charge.created) && customer(charge.customer) && intent(charge.payment_intent);
    },
  }),
  listRoute<Stripe.Refund>({
    path: '/v1/refunds', object: 'refund', filters: ['created', 'charge', 'payment_intent'], objects: (store) => store.refunds.values(), matches: byCharge,
  }),
  listRoute<Stripe.Dispute>({
    path: '/v1/disputes', object: 'dispute', filters: ['created', 'charge', 'payment_intent'], objects: (store) => store.disputes.values(), matches: byCharge,
  }),
  listRoute<Stripe.PaymentMethod>({
    path: '/v1/payment_methods', object: 'payment_method', filters: ['customer', 'type'], objects: (store) => store.paymentMethods.values(),
    matches: (params) => {
      const [customer, type] = [equalTo(params, 'customer'), equalTo(params, 'type')];
      return (method) => customer(method.customer) && type(method.type);
    },
  }),
  {
    method: 'GET', pattern: /^\/v1\/customers\/([^/]+)\/payment_methods$/, operation: 'customer.list_payment_methods', returns: 'list:payment_method',
    handle: ({ store, values, ids }) => {
      const customer = ids[0]!;
      if (!store.customers.has(customer)) throw noSuch('customer', customer);
      const params = new Params(values, ['type', ...PAGE_PARAMS]);
      const type = equalTo(params, 'type');
      const matches = (method: Stripe.PaymentMethod) => method.customer === customer && type(method.type);
      return listPage(store.paymentMethods.values(), params, { url: `/v1/customers/${customer}/payment_methods`, kind: 'payment_method', matches });
    },
  },
];
