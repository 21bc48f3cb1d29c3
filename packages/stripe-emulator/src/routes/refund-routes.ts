import { invalidRequest, noSuch } from '../emulator-errors';
import { Params } from '../params';
import { chargeOfIntent, refund } from '../refunds-and-disputes';
import type { Route, RouteContext } from '../route';

function createRefund({ store, values, now }: RouteContext) {
  const params = new Params(values, ['payment_intent', 'charge', 'amount', 'reason', 'metadata']);
  const intentId = params.string('payment_intent');
  const chargeId = params.string('charge');
  if ((intentId === undefined) === (chargeId === undefined)) {
    throw invalidRequest('You must pass exactly one of payment_intent or charge.', { code: 'parameter_missing' });
  }
  const charge = chargeId === undefined ? chargeOfIntent(store, intentId!) : store.charges.get(chargeId);
  if (!charge) throw noSuch('charge', chargeId!, 'charge');
  const reason = params.oneOf('reason', ['duplicate', 'fraudulent', 'requested_by_customer'] as const) ?? null;
  return refund(store, charge, { amount: params.integer('amount'), reason, metadata: params.metadata() }, now);
}

function retrieve(kind: 'refunds' | 'charges' | 'disputes', name: string) {
  return ({ store, ids }: RouteContext) => {
    const found = store[kind].get(ids[0]!);
    if (!found) throw noSuch(name, ids[0]!);
    return found;
  };
}

export const refundRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/refunds$/, operation: 'refund.create', returns: 'refund', handle: createRefund },
  { method: 'GET', pattern: /^\/v1\/refunds\/([^/]+)$/, operation: 'refund.retrieve', returns: 'refund', handle: retrieve('refunds', 'refund') },
  { method: 'GET', pattern: /^\/v1\/charges\/([^/]+)$/, operation: 'charge.retrieve', returns: 'charge', handle: retrieve('charges', 'charge') },
  { method: 'GET', pattern: /^\/v1\/disputes\/([^/]+)$/, operation: 'dispute.retrieve', returns: 'dispute', handle: retrieve('disputes', 'dispute') },
];
