import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import type { ChargeOutcomes, IdempotencyRecords } from '../../application/ports';
import type { RecoveryPoint } from '../../application/charge-progress';
import type { EventsArrived } from '../../application/lifecycle/lifecycle-ports';
import type { UseCases } from '../../application/use-cases';
import { openDatabase, sqliteFile } from '../sql/open-database';
import { SecretBox } from '../sql/secret-box';
import { createSqlStore } from '../sql/sql-store';
import type { RetryPolicy } from '../stripe/retry-policy';
import { StripeBilling } from '../stripe/stripe-billing';
import { createStripeClient } from '../stripe/stripe-client';
import { StripeWebhookVerifier } from '../stripe/stripe-webhook-verifier';
import { ratesFor, stripePacer } from '../stripe/stripe-pacing';
import { claimForMasterKey } from '../sql/master-key-check';
import { HttpWebhookSender } from '../webhooks/http-webhook-sender';
import { StandardWebhookSigner } from '../webhooks/standard-webhook-signer';
import { STANDARD_DELIVERY_POLICY } from '../../application/outbound/outbound-ports';
import { SystemClock } from '../system/system-clock';
import { ConfigurationError, type ServiceConfig } from './config';
import { createUseCases, type PortImplementations } from './container';

/** The running service for an embedding program: every use case, and the lifecycle of what it opened. */
export type Service = UseCases & {
  /** Where the data lives (no secrets), for the start-up log. */
  readonly storage: string;
  /** Whether the database answers, for readiness checks. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
};

export interface ServiceOptions {
  overrides?: Partial<PortImplementations>;
  /** Each Stripe request's latency and outcome, for metrics. */
  observeStripe?: (operation: string, seconds: number, outcome: string) => void;
  /** Each create-invoice outcome, for metrics. */
  chargeOutcomes?: ChargeOutcomes;
  /** Told after an Idempotency-Key is claimed and after each recovery point is committed (the crash tests' switch). */
  onProgress?: (point: 'claimed' | RecoveryPoint) => void;
  /** Retries of each Stripe request (tests shorten the backoff). */
  retry?: RetryPolicy;
  /** Told when webhook deliveries put new events in the inbox. */
  eventsArrived?: EventsArrived;
  /** Told the SQL of every statement the store runs. */
  observeQuery?: (sql: string) => void;
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

/** The real service: the SQL store (SQLite or PostgreSQL) and Stripe through its SDK, composed from the config. */
export async function openService(config: ServiceConfig, options: ServiceOptions = {}): Promise<Service> {
  const overrides = options.overrides ?? {};
  if (!config.databaseUrl && !config.createStore && !existsSync(sqliteFile(config.dataDir))) {
    throw new ConfigurationError(
      `${config.dataDir} holds no store (no ${path.basename(sqliteFile(config.dataDir))}). Point DATA_DIR at the folder the server uses ` +
        '(npm start makes .data in the repository), or load the config with { createStore: true } to make a new store there.',
    );
  }
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, observeQuery: options.observeQuery });
  const clock = overrides.clock ?? new SystemClock();
  const box = new SecretBox(config.masterKey);
  const store = createSqlStore(database, box, clock);
  try {
    await claimForMasterKey(database, box, store.stripeAccounts);
  } catch (error) {
    await database.close();
    throw error;
  }
  const stripe = createStripeClient({ baseUrl: config.stripeApiBase, timeoutMs: config.stripeTimeoutMs });
  const pacing = database.pgPool ? { kind: 'postgres' as const, pool: database.pgPool, tableName: 'stripe_pacing' } : { kind: 'memory' as const };
  const billing = new StripeBilling(stripe, {
    pacer: stripePacer(ratesFor(config.stripeRates, config.stripeApiBase), pacing),
    ...(options.observeStripe ? { observe: options.observeStripe } : {}),
    ...(options.retry ? { retry: options.retry } : {}),
  });
  const idempotencyRecords = options.onProgress ? reporting(store.idempotencyRecords, options.onProgress) : store.idempotencyRecords;
  const useCases = createUseCases({
    ...store,
    idempotencyRecords,
    billing,
    stripeLifecycle: billing.lifecycle,
    webhookVerifier: new StripeWebhookVerifier(),
    webhookSender: new HttpWebhookSender({ allowHttp: config.webhooks.allowHttp, allowPrivate: config.webhooks.allowPrivate }),
    webhookSigner: new StandardWebhookSigner(),
    deliveryPolicy: { ...STANDARD_DELIVERY_POLICY, timeScale: config.webhooks.timeScale, timeoutMs: config.webhooks.timeoutMs },
    clock,
    rateLimit: config.rateLimit,
    lease: { milliseconds: config.leaseMilliseconds },
    retention: config.retention,
    ...(options.chargeOutcomes ? { chargeOutcomes: options.chargeOutcomes } : {}),
    ...(options.eventsArrived ? { eventsArrived: options.eventsArrived } : {}),
    ...overrides,
  });
  return {
    ...useCases,
    storage: database.description,
    ready: () => sql`select 1 as ok`.execute(database.db).then(() => true, () => false),
    close: () => database.close(),
  };
}
