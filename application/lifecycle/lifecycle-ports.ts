import type { ServiceIdentifier } from 'inversify';
import type { AppId, InvoiceId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';
import type { StripeAccount } from '../billing-provider';
import type { InvoiceRecord, SubscriptionStatus } from '../invoice-record';
import type { Secret } from '../secret';
import type { InvoiceLife } from './invoice-life';
import type { EventOutcome, InboxEvent, StripeEvent } from './stripe-event';

/** Checks a webhook delivery's signature (Stripe's scheme) and reads the event from the raw body. */
export interface WebhookVerifier {
  /** Throws WebhookRejected when the signature, its age or the body is not right. */
  verify(payload: string, signatureHeader: string, secret: Secret): StripeEvent;
}
export const WebhookVerifier: ServiceIdentifier<WebhookVerifier> = Symbol('WebhookVerifier');

/** Stripe's own record of events (`/v1/events`, 30 days): what catching up reads when deliveries were lost. */
export interface StripeEventFeed {
  /** The account's events of these types created at or after `from`, in any order. */
  since(account: StripeAccount, from: Date, types: readonly string[]): AsyncIterable<StripeEvent>;
}
export const StripeEventFeed: ServiceIdentifier<StripeEventFeed> = Symbol('StripeEventFeed');

/** Reads what Stripe holds now, so that an event is applied from the object's current state, not from the event. */
export interface StripeStateReader {
  invoiceLife(account: StripeAccount, invoiceId: string): Promise<InvoiceLife | undefined>;
  subscriptionStatus(account: StripeAccount, subscriptionId: string): Promise<string | undefined>;
}
export const StripeStateReader: ServiceIdentifier<StripeStateReader> = Symbol('StripeStateReader');

/** Webhook endpoints at Stripe, made with the app's key. */
export interface StripeWebhookEndpoints {
  create(account: StripeAccount, url: string, events: readonly string[]): Promise<{ id: string; secret: Secret }>;
  /** Removes an endpoint this service made earlier; one already gone is fine. */
  remove(account: StripeAccount, endpointId: string): Promise<void>;
}
export const StripeWebhookEndpoints: ServiceIdentifier<StripeWebhookEndpoints> = Symbol('StripeWebhookEndpoints');

export interface WebhookSecretStatus {
  mode: StripeMode;
  hint: string;
  endpointId: string | null;
  updatedAt: Date;
}

/** Each app's webhook signing secret per mode, kept sealed like the Stripe keys. */
export interface WebhookSecrets {
  find(appId: AppId, mode: StripeMode): Promise<{ secret: Secret; endpointId: string | null } | undefined>;
  set(appId: AppId, mode: StripeMode, secret: Secret, endpointId: string | null, at: Date): Promise<void>;
  status(appId: AppId): Promise<WebhookSecretStatus[]>;
}
export const WebhookSecrets: ServiceIdentifier<WebhookSecrets> = Symbol('WebhookSecrets');

export interface InboxStats {
  backlog: number;
  /** When the oldest unprocessed event was received; null with an empty backlog. */
  oldestReceivedAt: Date | null;
}

/**
 * Received Stripe events, unique per (app, event id): stored before the delivery is acknowledged, processed from
 * here. Claims are leased, so that several processes (PostgreSQL) never process one event at the same time.
 */
export interface StripeEventInbox {
  /** False when the event was already in the inbox (a duplicate delivery): nothing changes. */
  add(appId: AppId, mode: StripeMode, event: StripeEvent, receivedAt: Date): Promise<boolean>;
  /** Up to `limit` unprocessed events due now, oldest Stripe event first, leased until `leaseUntil`. */
  claim(now: Date, leaseUntil: Date, limit: number): Promise<InboxEvent[]>;
  finish(appId: AppId, eventId: string, outcome: EventOutcome, at: Date): Promise<void>;
  /** Leaves the event unprocessed, to be tried again from `retryAt`. */
  retryLater(appId: AppId, eventId: string, error: string, retryAt: Date): Promise<void>;
  /** Takes up again, from `now` and with a fresh count of attempts, the events that failed since `since`. */
  reopenFailed(since: Date, now: Date): Promise<number>;
  stats(): Promise<InboxStats>;
  /** Up to when the events of an app and mode were last read from Stripe's event list. */
  caughtUpUntil(appId: AppId, mode: StripeMode): Promise<Date | undefined>;
  setCaughtUpUntil(appId: AppId, mode: StripeMode, until: Date): Promise<void>;
}
export const StripeEventInbox: ServiceIdentifier<StripeEventInbox> = Symbol('StripeEventInbox');

/** The service's invoices as the lifecycle finds and brings them up to date. */
export interface InvoiceLifecycleStore {
  byId(appId: AppId, id: InvoiceId): Promise<InvoiceRecord | undefined>;
  byPaymentIntent(appId: AppId, paymentIntentId: string): Promise<InvoiceRecord | undefined>;
  /** The first invoice of a subscription this service started (whose tenant and user its renewals inherit). */
  firstOfSubscription(appId: AppId, subscriptionId: string): Promise<InvoiceRecord | undefined>;
  /** Inserts or replaces the record, unless the store holds a reading of it newer than `record.updatedAt`. */
  write(record: InvoiceRecord): Promise<void>;
  /** Sets the status on every invoice of the subscription, unless a newer reading was already applied. */
  setSubscriptionStatus(appId: AppId, subscriptionId: string, status: SubscriptionStatus, readAt: Date): Promise<void>;
}
export const InvoiceLifecycleStore: ServiceIdentifier<InvoiceLifecycleStore> = Symbol('InvoiceLifecycleStore');

/** Told when new events wait in the inbox, so that processing starts at once rather than at its next poll. */
export interface EventsArrived {
  notify(): void;
}
export const EventsArrived: ServiceIdentifier<EventsArrived> = Symbol('EventsArrived');
