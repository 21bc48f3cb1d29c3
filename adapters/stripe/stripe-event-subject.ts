import type Stripe from 'stripe';
import type { EventSubject, StripeEvent } from '../../application/lifecycle/stripe-event';

type Node = Record<string, unknown>;

/** An id field, whether Stripe sent the id or the expanded object. */
function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as Node)['id'] === 'string') return (value as Node)['id'] as string;
  return null;
}

type SubscriptionDetails = { subscription?: unknown; metadata?: Record<string, unknown> | null } | null | undefined;

/** The operation id a charge of this service put in metadata, if any. */
function operationOf(...metadata: (Record<string, unknown> | null | undefined)[]): string | null {
  for (const entries of metadata) if (typeof entries?.['operationId'] === 'string') return entries['operationId'];
  return null;
}

/**
 * Which of the service's objects an event is about: an invoice (and its subscription), a PaymentIntent, a
 * subscription. Events rendered in API versions before 2025 name an invoice's subscription at its top level.
 */
function subjectOf(object: Node): EventSubject {
  const none: EventSubject = { invoiceId: null, paymentIntentId: null, subscriptionId: null, operationId: null };
  switch (object['object']) {
    case 'invoice': {
      const details = (object['parent'] as { subscription_details?: SubscriptionDetails } | null | undefined)?.subscription_details;
      const legacy = object['subscription_details'] as SubscriptionDetails;
      return {
        ...none,
        invoiceId: idOf(object['id']),
        subscriptionId: idOf(details?.subscription) ?? idOf(object['subscription']),
        operationId: operationOf(object['metadata'] as Node | undefined, details?.metadata, legacy?.metadata),
      };
    }
    case 'payment_intent':
      return { ...none, paymentIntentId: idOf(object['id']) };
    case 'charge':
    case 'refund':
    case 'dispute':
      return { ...none, paymentIntentId: idOf(object['payment_intent']) };
    case 'subscription':
      return { ...none, subscriptionId: idOf(object['id']), operationId: operationOf(object['metadata'] as Node | undefined) };
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
