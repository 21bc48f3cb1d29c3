import type Stripe from 'stripe';
import type { EventSubject, StripeEvent } from '../../application/lifecycle/stripe-event';

type Node = Record<string, unknown>;

/** An id field, whether Stripe sent the id or the expanded object. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as Node)['id'] === 'string') return (value as Node)['id'] as string;
  return null;
}

/** Which of the service's objects an event is about: an invoice (and its subscription), a PaymentIntent, a subscription. */
function subjectOf(object: Node): EventSubject {
  const none: EventSubject = { invoiceId: null, paymentIntentId: null, subscriptionId: null };
  switch (object['object']) {
    case 'invoice': {
      const parent = object['parent'] as { subscription_details?: { subscription?: unknown } | null } | null | undefined;
      return { ...none, invoiceId: idOf(object['id']), subscriptionId: idOf(parent?.subscription_details?.subscription) };
    }
    case 'payment_intent':
      return { ...none, paymentIntentId: idOf(object['id']) };
    case 'charge':
    case 'refund':
    case 'dispute':
      return { ...none, paymentIntentId: idOf(object['payment_intent']) };
    case 'subscription':
      return { ...none, subscriptionId: idOf(object['id']) };
    default:
      return none;
  }
}

/** A Stripe event as the service keeps it; `payload` is the body it came in (or, read from the API, its JSON). */
export function stripeEventOf(event: Stripe.Event, payload: string): StripeEvent {
  return {
    id: event.id,
    type: event.type,
    created: new Date(event.created * 1000),
    livemode: event.livemode,
    subject: subjectOf(event.data.object as unknown as Node),
    payload,
  };
}
