import type { AppId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';

/**
 * The Stripe events the service follows an invoice by: what it registers a webhook endpoint for, and what
 * catching up reads from Stripe's event list (at most 20 types, Stripe's limit for `types[]`).
 */
export const FOLLOWED_EVENT_TYPES = [
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.payment_action_required',
  'invoice.finalized',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'invoice.updated',
  'payment_intent.succeeded',
  'payment_intent.processing',
  'payment_intent.payment_failed',
  'payment_intent.canceled',
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
  'customer.subscription.updated',
  'customer.subscription.deleted',
] as const;

/** Which Stripe objects an event is about, as far as the service keeps them. */
export interface EventSubject {
  invoiceId: string | null;
  paymentIntentId: string | null;
  subscriptionId: string | null;
  /** The operation id a charge of this service put in the invoice's (or its subscription's) metadata. */
  operationId: string | null;
}

/** A Stripe event as the service keeps it: who it is about, and the payload exactly as Stripe sent it. */
export interface StripeEvent {
  id: string;
  type: string;
  created: Date;
  livemode: boolean;
  subject: EventSubject;
  /** The event's JSON as received (kept for audit and for replaying). */
  payload: string;
}

/** An event in the service's inbox: received for one app and mode, processed at most once to its outcome. */
export interface InboxEvent extends StripeEvent {
  appId: AppId;
  mode: StripeMode;
  receivedAt: Date;
  attempts: number;
}

/**
 * How processing an event ended: `applied` (the store now holds what Stripe holds), `ignored` (about nothing this
 * service created), `failed` (gave up after MAX_EVENT_ATTEMPTS; reconciliation takes failed events up again).
 */
export const EVENT_OUTCOMES = ['applied', 'ignored', 'failed'] as const;
export type EventOutcome = (typeof EVENT_OUTCOMES)[number];
