import type Stripe from 'stripe';
import { AccountStore } from './account-store';
import { authenticate, type Mode } from './api-keys';
import type { ChangeSet } from './events/change-set';
import { EmulatorError } from './emulator-errors';
import { checkExpansions, expand } from './expand';
import { FaultPlan } from './faults';
import { RateLimiter } from './rate-limit';
import { statsOf, type ModeStats } from './stats';
import type { FormObject } from './form-body';
import { IdempotencyStore, type StoredAnswer } from './idempotency';
import { recordEvents, type CausingRequest } from './events/event-log';
import { expansionsOf } from './params';
import type { EmulatorSettings, Route } from './route';
import { billingListRoutes } from './routes/billing-list-routes';
import { catalogRoutes } from './routes/catalog-routes';
import { customerRoutes } from './routes/customer-routes';
import { eventRoutes } from './routes/event-routes';
import { invoiceRoutes } from './routes/invoice-routes';
import { paymentListRoutes } from './routes/payment-list-routes';
import { refundRoutes } from './routes/refund-routes';
import { searchRoutes } from './routes/search-routes';
import { subscriptionRoutes } from './routes/subscription-routes';
import { testClockRoutes } from './routes/test-clock-routes';
import { webhookEndpointRoutes } from './routes/webhook-endpoint-routes';
import { unixTime } from './object-ids';
import { WebhookDispatcher, type DeliverySettings } from './webhooks/webhook-dispatcher';

export type { Mode };

export interface RequestLogEntry {
  seq: number;
  at: string;
  method: string;
  path: string;
  operation: string | null;
  mode: Mode | null;
  idempotencyKey: string | null;
  /** The HTTP status answered, or what happened to the connection instead. */
  status: number | 'reset' | 'dropped';
  replayed: boolean;
  fault: string | null;
  /** Answered 429 by the rate limiter (`rateLimit` in `/_emulator/config`), without being executed. */
  rateLimited: boolean;
  durationMs: number;
}


export interface EmulatorSnapshot {
  accounts: Record<string, unknown>;
  idempotency: StoredAnswer[];
}

export interface CoreSettings extends EmulatorSettings {
  latency: { fixedMs: number; jitterMs: number };
  /** How many events each account keeps per mode, newest first (Stripe keeps 30 days' worth). */
  eventRetention: number;
  deliveries: DeliverySettings;
}

const LOG_LIMIT = 100_000;
/** The log is trimmed in slices of this many entries: dropping one entry per request would shift the whole array. */
const LOG_TRIM = 10_000;

/** The emulator without HTTP: routing, accounts, Stripe's semantics, the request log, faults and stats. */
export class EmulatorCore {
  readonly faults = new FaultPlan();
  /** Stripe's per-account request rate limit: off unless configured. */
  readonly rateLimits = new RateLimiter();
  readonly idempotency = new IdempotencyStore();
  readonly requests: RequestLogEntry[] = [];
  private readonly stores = new Map<string, AccountStore>();
  // Search routes first: `/v1/invoices/search` must not be read as the invoice `search`.
  private readonly routes: Route[] = [
    ...searchRoutes, ...billingListRoutes, ...paymentListRoutes, ...catalogRoutes, ...customerRoutes, ...invoiceRoutes,
    ...subscriptionRoutes, ...refundRoutes, ...eventRoutes, ...webhookEndpointRoutes, ...testClockRoutes,
  ];
  private sequence = 0;
  /** Called after every request that may have changed state (local mode saves the state then). */
  onChange: (() => void) | undefined;

  readonly webhooks: WebhookDispatcher;

  constructor(readonly settings: CoreSettings) {
    this.webhooks = new WebhookDispatcher(settings.deliveries, () => this.onChange?.());
  }

  /** The account and mode a request's `Authorization` header names (Bearer or Basic, as Stripe takes it). */
  authenticate(authorization: string | undefined): { account: string; mode: Mode } {
    return authenticate(authorization);
  }

  resolve(method: string, path: string): { route: Route; ids: string[] } | undefined {
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const match = route.pattern.exec(path);
      if (match) return { route, ids: match.slice(1) };
    }
    return undefined;
  }

  /** Runs a resolved request: the handler, then `expand`; Stripe-style errors become their status and body. */
  run(route: Route, ids: string[], account: string, mode: Mode, values: FormObject, request: CausingRequest): { status: number; body: string; replayable: boolean } {
    const store = this.storeFor(account, mode);
    const changes = store.track();
    try {
      const expansions = expansionsOf(values);
      checkExpansions(route.returns, expansions);
      const object = route.handle({ store, values, ids, now: unixTime(), settings: this.settings });
      return { status: 200, body: JSON.stringify(expand(store, object, expansions)), replayable: true };
    } catch (error) {
      if (error instanceof EmulatorError) return { status: error.status, body: errorBody(error), replayable: error.replayable };
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, body: JSON.stringify({ error: { type: 'api_error', message: `Emulator bug: ${message}` } }), replayable: false };
    } finally {
      store.stopTracking();
      this.announce(store, changes, request);
    }
  }

  /**
   * A change made outside the API (a customer passing 3-D Secure, a dispute): runs `change` on the account and mode
   * that hold `objectId`, then sends the events it caused. Undefined when no account holds the object.
   */
  act<T>(objectId: string, change: (store: AccountStore) => T): T | undefined {
    const store = this.storeHolding(objectId);
    if (!store) return undefined;
    const changes = store.track();
    try {
      return change(store);
    } finally {
      store.stopTracking();
      this.announce(store, changes, { id: null, idempotencyKey: null });
      this.onChange?.();
    }
  }

  private announce(store: AccountStore, changes: ChangeSet, request: CausingRequest): void {
    const events = recordEvents(store, changes, request, unixTime(), this.settings.eventRetention);
    if (events.length > 0) this.webhooks.queue(store, events);
  }

  record(entry: Omit<RequestLogEntry, 'seq' | 'at'>): void {
    this.sequence += 1;
    this.requests.push({ seq: this.sequence, at: new Date().toISOString(), ...entry });
    if (this.requests.length >= LOG_LIMIT + LOG_TRIM) this.requests.splice(0, this.requests.length - LOG_LIMIT);
  }

  stats(): Record<Mode, ModeStats> {
    const stores = [...this.stores.values()];
    return {
      live: statsOf(stores.filter((store) => store.livemode), this.rateLimits.limitedIn('live')),
      test: statsOf(stores.filter((store) => !store.livemode), this.rateLimits.limitedIn('test')),
    };
  }

  /** The account and mode that hold an object (ids are unique across all of them), for the control surface. */
  storeHolding(objectId: string): AccountStore | undefined {
    for (const store of this.stores.values()) if (store.find(objectId) !== undefined) return store;
    return undefined;
  }

  /** The objects of every account and mode, and the answers stored under idempotency keys: what a restart must find. */
  snapshot(): EmulatorSnapshot {
    return {
      accounts: Object.fromEntries([...this.stores.entries()].map(([id, store]) => [id, store.toJSON()])),
      idempotency: this.idempotency.toJSON(),
    };
  }

  restore(snapshot: EmulatorSnapshot | Record<string, unknown>): void {
    // A snapshot from before idempotency answers were kept holds the accounts at its top level.
    const { accounts, idempotency } = 'accounts' in snapshot ? (snapshot as EmulatorSnapshot) : { accounts: snapshot, idempotency: [] };
    this.stores.clear();
    for (const [id, saved] of Object.entries(accounts)) {
      this.stores.set(id, AccountStore.fromJSON(id.startsWith('live:'), saved as Record<string, [string, unknown][]>));
    }
    this.idempotency.load(idempotency as StoredAnswer[]);
    this.webhooks.resume(this.stores.values());
  }

  reset(): void {
    this.stores.clear();
    this.idempotency.clear();
    this.faults.clear();
    this.rateLimits.reset();
    this.requests.length = 0;
    this.webhooks.reset();
  }

  private storeFor(account: string, mode: Mode): AccountStore {
    const id = `${mode}:${account}`;
    let store = this.stores.get(id);
    if (!store) {
      store = new AccountStore(mode === 'live');
      this.stores.set(id, store);
    }
    return store;
  }

}

export function errorBody(error: EmulatorError): string {
  return JSON.stringify({ error: error.body });
}
