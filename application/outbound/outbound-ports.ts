import type { ServiceIdentifier } from 'inversify';
import type { AppId } from '../../domain/ids';
import type { Secret } from '../secret';
import type { AppEventType } from './app-events';

export const ENDPOINT_STATUSES = ['enabled', 'disabled'] as const;
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number];

/** An app's endpoint for the events the service sends it. */
export interface AppEndpoint {
  id: string;
  appId: AppId;
  url: string;
  /** The event types it wants; null: all. */
  eventTypes: AppEventType[] | null;
  status: EndpointStatus;
  /** Why it was disabled: `gone` (it answered 410), `failing` (it failed for the whole disable window), `operator`. */
  disabledReason: string | null;
  disabledAt: Date | null;
  /** Since when every delivery to it has failed; null while it answers. */
  failingSince: Date | null;
  createdAt: Date;
}

/** The apps' endpoints and their signing secrets (sealed). During a rotation's overlap an endpoint has two. */
export interface AppEndpoints {
  create(endpoint: AppEndpoint, secret: Secret): Promise<void>;
  list(appId: AppId): Promise<AppEndpoint[]>;
  find(appId: AppId, id: string): Promise<AppEndpoint | undefined>;
  /** False when the app has no such endpoint. */
  remove(appId: AppId, id: string): Promise<boolean>;
  /** The secrets to sign with at `now`: the newest first, then those still in their overlap. */
  secrets(endpointId: string, now: Date): Promise<Secret[]>;
  /** Adds `secret` as the newest; the secrets signed with until now stop at `oldUntil`. */
  rotate(endpointId: string, secret: Secret, now: Date, oldUntil: Date): Promise<void>;
  setFailingSince(endpointId: string, since: Date | null): Promise<void>;
  disable(endpointId: string, reason: string, at: Date): Promise<void>;
}
export const AppEndpoints: ServiceIdentifier<AppEndpoints> = Symbol('AppEndpoints');

/** One delivery of one event to one endpoint, claimed for sending. */
export interface DueDelivery {
  eventId: string;
  eventSeq: number;
  appId: AppId;
  endpointId: string;
  type: AppEventType;
  body: string;
  /** Attempts made so far. */
  attempts: number;
  /** The claim this dispatcher holds: what follows the attempt is recorded only while it still holds it. */
  leaseUntil: Date;
}

export interface DeliveryAttempt {
  eventId: string;
  endpointId: string;
  appId: AppId;
  attempt: number;
  at: Date;
  /** The receiver's HTTP status; null when no answer came (or the target was refused). */
  status: number | null;
  error: string | null;
  durationMs: number;
  /** The first 2 KB of the answer's body. */
  response: string;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'endpoint_disabled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface OutboxStats {
  backlog: number;
  oldestCreatedAt: Date | null;
}

/**
 * The events for the apps, and one delivery row per event and endpoint, written by the store in the same
 * transaction as the change that causes them. A claim takes, per endpoint, only its oldest undelivered event, so
 * that an endpoint receives events in the order they were created; claims are leased.
 */
export interface WebhookOutbox {
  claim(now: Date, leaseUntil: Date, limit: number): Promise<DueDelivery[]>;
  /**
   * `delivered`, `retryAt` and `giveUp` change a delivery only while it is still pending under the claim `delivery`
   * holds: one redelivered, replayed or claimed by another dispatcher in the meantime is left as it is now.
   */
  delivered(delivery: DueDelivery, at: Date): Promise<void>;
  retryAt(delivery: DueDelivery, nextAt: Date): Promise<void>;
  /** Gives the delivery up after its last attempt (`failed`). */
  giveUp(delivery: DueDelivery): Promise<void>;
  /** Every pending delivery of a disabled or removed endpoint stops (`endpoint_disabled`). */
  stopEndpoint(endpointId: string): Promise<void>;
  recordAttempt(attempt: DeliveryAttempt): Promise<void>;
  attempts(appId: AppId, filter: { endpointId?: string | undefined; eventId?: string | undefined; limit: number }): Promise<DeliveryAttempt[]>;
  /** Sends an event again (to every endpoint it went to): its deliveries become pending from `now`. */
  redeliver(appId: AppId, eventId: string, now: Date): Promise<number>;
  /** Sends an endpoint every event of its app (of the types it wants) created at or after `since`. */
  replay(endpoint: AppEndpoint, since: Date, now: Date): Promise<number>;
  stats(): Promise<OutboxStats>;
}
export const WebhookOutbox: ServiceIdentifier<WebhookOutbox> = Symbol('WebhookOutbox');

export type SendResult =
  | { kind: 'answered'; status: number; body: string; retryAfterSeconds: number | null; durationMs: number }
  | { kind: 'unreachable'; error: string; durationMs: number }
  /** The target is not allowed (a private address, plain http in production): nothing was sent. */
  | { kind: 'refused'; reason: string };

/** Sends one signed delivery over HTTP, to targets the deployment allows. */
export interface WebhookSender {
  /** Why a target URL is not allowed, or undefined when it is. */
  refusal(url: string): Promise<string | undefined>;
  send(request: { url: string; headers: Record<string, string>; body: string; timeoutMs: number }): Promise<SendResult>;
}
export const WebhookSender: ServiceIdentifier<WebhookSender> = Symbol('WebhookSender');

/** Standard Webhooks signatures: `v1,<base64>` per secret, space-separated. */
export interface WebhookSigner {
  sign(secrets: Secret[], id: string, timestamp: Date, body: string): string;
  newSecret(): Secret;
}
export const WebhookSigner: ServiceIdentifier<WebhookSigner> = Symbol('WebhookSigner');

/** When deliveries are tried again, and when an endpoint that keeps failing is disabled. */
export interface DeliveryPolicy {
  /** Waits after each failed attempt (Standard Webhooks' schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h). */
  retryWaitsMs: number[];
  /** Multiplies every wait and the disable window: 1 in production, a small fraction in tests. */
  timeScale: number;
  timeoutMs: number;
  disableAfterFailingMs: number;
}
export const DeliveryPolicy: ServiceIdentifier<DeliveryPolicy> = Symbol('DeliveryPolicy');

export const STANDARD_DELIVERY_POLICY: DeliveryPolicy = {
  retryWaitsMs: [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 86_400].map((seconds) => seconds * 1_000),
  timeScale: 1,
  timeoutMs: 15_000,
  disableAfterFailingMs: 5 * 86_400_000,
};
