import { Container } from 'inversify';
import { sql } from 'kysely';
import { ApiKeyRegistry, Apps, LedgerReader, StripeAccountSettings, TenantDirectory } from '../../application/admin-ports';
import { ConfigureStripe } from '../../application/admin/configure-stripe';
import { ManageApiKeys } from '../../application/admin/manage-api-keys';
import { ManageApps } from '../../application/admin/manage-apps';
import { ManageTenants } from '../../application/admin/manage-tenants';
import { ReadLedger } from '../../application/admin/read-ledger';
import { Reconcile } from '../../application/admin/reconcile';
import { Authenticate } from '../../application/authenticate';
import { BillingProvider, type RecoveryPoint } from '../../application/billing-provider';
import { ChargeInvoice, DEFAULT_LEASE, LeasePolicy } from '../../application/charge-invoice';
import { CreateStripeInvoice } from '../../application/create-stripe-invoice';
import { ApiKeys, ChargeLedger, Clock, IdempotencyRecords, Ids, StripeAccounts, Tenants } from '../../application/ports';
import { PrepareCharge } from '../../application/prepare-charge';
import { RateLimit, RateLimitPolicy } from '../../application/rate-limit';
import type { ServiceConfig } from './config';
import { openDatabase } from '../sql/open-database';
import { SecretBox } from '../sql/secret-box';
import { createSqlStore } from '../sql/sql-store';
import type { RetryPolicy } from '../stripe/retry-policy';
import { StripeBilling } from '../stripe/stripe-billing';
import { createStripeClient } from '../stripe/stripe-client';
import { RandomIds } from '../system/random-ids';
import { SystemClock } from '../system/system-clock';

/**
 * The implementations of the ports that hold state or talk to Stripe. A store object usually plays several roles
 * (the SQL API key store is both `ApiKeys` for requests and `ApiKeyRegistry` for operators).
 */
export interface PortImplementations {
  apps: Apps;
  apiKeys: ApiKeys & ApiKeyRegistry;
  tenants: Tenants & TenantDirectory;
  stripeAccounts: StripeAccounts & StripeAccountSettings;
  idempotencyRecords: IdempotencyRecords;
  chargeLedger: ChargeLedger & LedgerReader;
  billing: BillingProvider;
  clock?: Clock;
  ids?: Ids;
  rateLimit?: RateLimitPolicy;
  lease?: LeasePolicy;
}

/** Each app's default request rate: Stripe's own live-mode limit is 100 requests per second. */
export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { perSecond: 100, burst: 200 };

/**
 * The composition root: binds every port and use case. The use cases are singletons, so REST, GraphQL, the CLI
 * and in-process callers all drive the same objects. Tests rebind single ports (`container.rebind(Clock)`).
 */
export function createContainer(ports: PortImplementations): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(Apps).toConstantValue(ports.apps);
  container.bind(ApiKeys).toConstantValue(ports.apiKeys);
  container.bind(ApiKeyRegistry).toConstantValue(ports.apiKeys);
  container.bind(Tenants).toConstantValue(ports.tenants);
  container.bind(TenantDirectory).toConstantValue(ports.tenants);
  container.bind(StripeAccounts).toConstantValue(ports.stripeAccounts);
  container.bind(StripeAccountSettings).toConstantValue(ports.stripeAccounts);
  container.bind(IdempotencyRecords).toConstantValue(ports.idempotencyRecords);
  container.bind(ChargeLedger).toConstantValue(ports.chargeLedger);
  container.bind(LedgerReader).toConstantValue(ports.chargeLedger);
  container.bind(BillingProvider).toConstantValue(ports.billing);
  container.bind(Clock).toConstantValue(ports.clock ?? new SystemClock());
  container.bind(Ids).toConstantValue(ports.ids ?? new RandomIds());
  container.bind(RateLimitPolicy).toConstantValue(ports.rateLimit ?? DEFAULT_RATE_LIMIT);
  container.bind(LeasePolicy).toConstantValue(ports.lease ?? DEFAULT_LEASE);
  container.bind(RateLimit).toSelf();

  container.bind(Authenticate).toSelf();
  container.bind(PrepareCharge).toSelf();
  container.bind(ChargeInvoice).toSelf();
  container.bind(CreateStripeInvoice).toSelf();
  container.bind(ManageApps).toSelf();
  container.bind(ManageApiKeys).toSelf();
  container.bind(ConfigureStripe).toSelf();
  container.bind(ManageTenants).toSelf();
  container.bind(ReadLedger).toSelf();
  container.bind(Reconcile).toSelf();
  return container;
}

export interface Service {
  container: Container;
  /** Where the data lives (no secrets), for the start-up log. */
  storage: string;
  /** Whether the database answers, for readiness checks. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export interface ServiceOptions {
  overrides?: Partial<PortImplementations>;
  /** Each Stripe request's latency and outcome, for metrics. */
  observeStripe?: (operation: string, seconds: number, outcome: string) => void;
  /** Told after an Idempotency-Key is claimed and after each recovery point is committed (the crash tests' switch). */
  onProgress?: (point: 'claimed' | RecoveryPoint) => void;
  /** Retries of each Stripe request (tests shorten the backoff). */
  retry?: RetryPolicy;
}

/** The idempotency records, telling `onProgress` about each claim and committed recovery point. */
function reporting(records: IdempotencyRecords, onProgress: (point: 'claimed' | RecoveryPoint) => void): IdempotencyRecords {
  return {
    claim: async (claim) => {
      const result = await records.claim(claim);
      if (result.status === 'claimed') onProgress('claimed');
      return result;
    },
    checkpoint: async (...args) => {
      const held = await records.checkpoint(...args);
      if (held) onProgress(args[3].point);
      return held;
    },
    complete: (...args) => records.complete(...args),
    release: (...args) => records.release(...args),
    abandoned: (...args) => records.abandoned(...args),
  };
}

/** The real service: the SQL store (SQLite or PostgreSQL) and Stripe through its SDK, wired into the container. */
export async function openService(config: ServiceConfig, options: ServiceOptions = {}): Promise<Service> {
  const overrides = options.overrides ?? {};
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  const clock = overrides.clock ?? new SystemClock();
  const store = createSqlStore(database, new SecretBox(config.masterKey), clock);
  const stripe = createStripeClient({ baseUrl: config.stripeApiBase, timeoutMs: config.stripeTimeoutMs });
  const billing = new StripeBilling(stripe, {
    ...(options.observeStripe ? { observe: options.observeStripe } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const idempotencyRecords = options.onProgress ? reporting(store.idempotencyRecords, options.onProgress) : store.idempotencyRecords;
  const lease = { milliseconds: config.leaseMilliseconds };
  const container = createContainer({ ...store, idempotencyRecords, billing, clock, rateLimit: config.rateLimit, lease, ...overrides });
  const ready = () => sql`select 1 as ok`.execute(database.db).then(() => true, () => false);
  return { container, storage: database.description, ready, close: () => database.close() };
}
