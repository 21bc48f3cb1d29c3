import type Stripe from 'stripe';
import type { AccountStore } from './account-store';
import { invalidRequest, noSuch } from './emulator-errors';
import { disputeObject, refundObject } from './objects/charge';

/** The charge a PaymentIntent made, or a clear error when it made none. */
export function chargeOfIntent(store: AccountStore, intentId: string): Stripe.Charge {
  const intent = store.paymentIntents.get(intentId);
  if (!intent) throw noSuch('payment_intent', intentId, 'payment_intent');
  const charge = intent.latest_charge ? store.charges.get(String(intent.latest_charge)) : undefined;
  if (!charge) throw invalidRequest(`This PaymentIntent (${intentId}) does not have a successful charge to refund.`, { code: 'charge_not_refundable' });
  return charge;
}

/** Gives back `amount` (default: all that is left) of a charge; a disputed or fully refunded charge refuses. */
export function refund(store: AccountStore, charge: Stripe.Charge, request: { amount?: number | undefined; reason: Stripe.Refund.Reason | null; metadata: Record<string, string> }, now: number): Stripe.Refund {
  const left = charge.amount_captured - charge.amount_refunded;
  if (charge.disputed) throw invalidRequest(`Charge ${charge.id} has been charged back; cannot issue a refund.`, { code: 'charge_disputed' });
  if (left <= 0) throw invalidRequest(`Charge ${charge.id} has already been refunded.`, { code: 'charge_already_refunded' });
  const amount = request.amount ?? left;
  if (amount <= 0) throw invalidRequest('Invalid positive integer', { param: 'amount', code: 'parameter_invalid_integer' });
  if (amount > left) {
    throw invalidRequest(`Refund amount (${amount}) is greater than unrefunded amount on charge (${left})`, { param: 'amount', code: 'amount_too_large' });
  }
  const created = store.put(store.refunds, refundObject(store.base('re', now, request.metadata), charge, amount, request.reason));
  store.touch(charge).amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount_captured;
  return created;
}

/** The cardholder disputes the charge (`/_emulator/payment_intents/:id/dispute`). */
export function openDispute(store: AccountStore, intentId: string, request: { amount?: number | undefined; reason?: string | undefined }, now: number): Stripe.Dispute {
  const charge = chargeOfIntent(store, intentId);
  if (charge.disputed) throw invalidRequest(`Charge ${charge.id} is already disputed.`);
  const dispute = store.put(store.disputes, disputeObject(store.base('dp', now), charge, request.amount ?? charge.amount_captured - charge.amount_refunded, request.reason ?? 'fraudulent'));
  store.touch(charge).disputed = true;
  return dispute;
}

export function closeDispute(store: AccountStore, dispute: Stripe.Dispute, outcome: 'won' | 'lost'): void {
  if (dispute.status === 'won' || dispute.status === 'lost') throw invalidRequest(`Dispute ${dispute.id} is already closed.`);
  store.touch(dispute).status = outcome;
}
