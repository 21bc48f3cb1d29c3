import type Stripe from 'stripe';
import { AccountStore } from './account-store';
import { EmulatorError, invalidRequest } from './emulator-errors';
import { checkExpansions, expand } from './expand';
import { FaultPlan } from './faults';
import type { FormObject } from './form-body';
import { IdempotencyStore, type StoredAnswer } from './idempotency';
import { expansionsOf } from './params';
import type { EmulatorSettings, Route } from './route';
import { catalogRoutes } from './routes/catalog-routes';
import { customerRoutes } from './routes/customer-routes';
import { invoiceRoutes } from './routes/invoice-routes';
import { searchRoutes } from './routes/search-routes';
import { subscriptionRoutes } from './routes/subscription-routes';
import { unixTime } from './object-ids';

export type Mode = 'live' | 'test';

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
  durationMs: number;
}

export interface ModeStats {
  customers: number;
  invoices: number;
  draftInvoices: number;
  openInvoices: number;
  paidInvoices: number;
  voidInvoices: number;
  paymentIntents: number;
  /** PaymentIntents that succeeded: money actually moved. */
  charges: number;
  subscriptions: number;
  activeSubscriptions: number;
  incompleteSubscriptions: number;
  canceledSubscriptions: number;
}

export interface EmulatorSnapshot {
  accounts: Record<string, unknown>;
  idempotency: StoredAnswer[];
}

const KEY = /^sk_(live|test)_([A-Za-z0-9_]{1,200})$/;
const LOG_LIMIT = 100_000;
/** The log is trimmed in slices of this many entries: dropping one entry per request would shift the whole array. */
const LOG_TRIM = 10_000;

/** The emulator without HTTP: routing, accounts, Stripe's semantics, the request log, faults and stats. */
export class EmulatorCore {
  readonly faults = new FaultPlan();
  readonly idempotency = new IdempotencyStore();
  readonly requests: RequestLogEntry[] = [];
  private readonly stores = new Map<string, AccountStore>();
  // Search routes first: `/v1/invoices/search` must not be read as the invoice `search`.
  private readonly routes: Route[] = [...searchRoutes, ...catalogRoutes, ...customerRoutes, ...invoiceRoutes, ...subscriptionRoutes];
  private sequence = 0;
  /** Called after every request that may have changed state (local mode saves the state then). */
  onChange: (() => void) | undefined;

  constructor(readonly settings: EmulatorSettings & { latency: { fixedMs: number; jitterMs: number } }) {}

  /** `sk_test_acme` and `sk_live_acme` are the account `acme` in its two modes. */
  authenticate(authorization: string | undefined): { account: string; mode: Mode } {
    const key = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!key) {
      throw invalidRequest('You did not provide an API key. Provide it in the Authorization header (Bearer auth).', {}, 401);
    }
    const match = KEY.exec(key);
    if (!match) throw invalidRequest(`Invalid API Key provided: ${key.slice(0, 8)}****${key.slice(-4)}`, {}, 401);
    return { account: match[2]!, mode: match[1] as Mode };
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
  run(route: Route, ids: string[], account: string, mode: Mode, values: FormObject): { status: number; body: string; replayable: boolean } {
    const store = this.storeFor(account, mode);
    try {
      const expansions = expansionsOf(values);
      checkExpansions(route.returns, expansions);
      const object = route.handle({ store, values, ids, now: unixTime(), settings: this.settings });
      return { status: 200, body: JSON.stringify(expand(store, object, expansions)), replayable: true };
    } catch (error) {
      if (error instanceof EmulatorError) return { status: error.status, body: errorBody(error), replayable: error.replayable };
      const message = error instanceof Error ? error.message : String(error);
      return { status: 500, body: JSON.stringify({ error: { type: 'api_error', message: `Emulator bug: ${message}` } }), replayable: false };
    }
  }

  record(entry: Omit<RequestLogEntry, 'seq' | 'at'>): void {
    this.sequence += 1;
    this.requests.push({ seq: this.sequence, at: new Date().toISOString(), ...entry });
    if (this.requests.length >= LOG_LIMIT + LOG_TRIM) this.requests.splice(0, this.requests.length - LOG_LIMIT);
  }

  stats(): Record<Mode, ModeStats> {
    return { live: this.statsFor('live'), test: this.statsFor('test') };
  }

  /** Finds an invoice in any account, for the public hosted invoice page. */
  findInvoice(id: string): Stripe.Invoice | undefined {
    for (const store of this.stores.values()) {
      const invoice = store.invoices.get(id);
      if (invoice) return invoice;
    }
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
  }

  reset(): void {
    this.stores.clear();
    this.idempotency.clear();
    this.faults.clear();
    this.requests.length = 0;
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

  private statsFor(mode: Mode): ModeStats {
    const stores = [...this.stores.values()].filter((store) => store.livemode === (mode === 'live'));
    const all = <T>(pick: (store: AccountStore) => Map<string, T>) => stores.flatMap((store) => [...pick(store).values()]);
    const invoices = all((store) => store.invoices);
    const intents = all((store) => store.paymentIntents);
    const subscriptions = all((store) => store.subscriptions);
    const invoicesIn = (status: string) => invoices.filter((invoice) => invoice.status === status).length;
    const subscriptionsIn = (status: string) => subscriptions.filter((subscription) => subscription.status === status).length;
    return {
      customers: all((store) => store.customers).length,
      invoices: invoices.length,
      draftInvoices: invoicesIn('draft'),
      openInvoices: invoicesIn('open'),
      paidInvoices: invoicesIn('paid'),
      voidInvoices: invoicesIn('void'),
      paymentIntents: intents.length,
      charges: intents.filter((intent) => intent.status === 'succeeded').length,
      subscriptions: subscriptions.length,
      activeSubscriptions: subscriptionsIn('active'),
      incompleteSubscriptions: subscriptionsIn('incomplete'),
      canceledSubscriptions: subscriptionsIn('canceled'),
    };
  }
}

export function errorBody(error: EmulatorError): string {
  return JSON.stringify({ error: error.body });
}
