import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { dropPostgresSchema, openDatabase, type SqlDatabase } from '../../../adapters/sql/open-database';
import { SecretBox } from '../../../adapters/sql/secret-box';
import { createSqlStore } from '../../../adapters/sql/sql-store';
import type { PortImplementations } from '../../../adapters/composition/container';
import { FixedClock } from '../../fakes/fixed-clock';
import { InMemoryApiKeys } from '../../fakes/in-memory-api-keys';
import { InMemoryApps } from '../../fakes/in-memory-apps';
import { InMemoryChargeLedger } from '../../fakes/in-memory-charge-ledger';
import { InMemoryIdempotencyRecords } from '../../fakes/in-memory-idempotency-records';
import { InMemoryEventInbox } from '../../fakes/in-memory-event-inbox';
import { InMemoryStripeAccounts } from '../../fakes/in-memory-stripe-accounts';
import { InMemoryWebhookSecrets } from '../../fakes/in-memory-webhook-secrets';
import { InMemoryInvoices } from '../../fakes/in-memory-invoices';
import { InMemoryAppEndpoints, InMemoryWebhookOutbox } from '../../fakes/in-memory-outbound';
import { InMemoryTenants } from '../../fakes/in-memory-tenants';
import { InMemoryExpiredRecords } from '../../fakes/in-memory-expired-records';

/** The storage ports, as the container takes them. */
export type StorePorts = Omit<PortImplementations, 'billing' | 'clock' | 'ids' | 'stripeLifecycle' | 'webhookVerifier' | 'webhookSender' | 'webhookSigner'>;

export interface StoreWorld {
  store: StorePorts;
  clock: FixedClock;
  /** Every secret the tests wrote through the store: none may be found in plaintext in any table. */
  secretsWritten: Set<string>;
  /** Every value of every column of every table; absent for the in-memory fake. */
  allStoredValues?(): Promise<string[]>;
  /** The open database, for adapter-specific checks. */
  database?: SqlDatabase;
  close(): Promise<void>;
}

export interface StoreWorldFactory {
  name: string;
  /** Why this world cannot run here; it is then reported as skipped. */
  unavailable?: string;
  open(): Promise<StoreWorld>;
}

/** The PostgreSQL server CI gives the tests (`.ci/run` sets it); without it the PostgreSQL runs are skipped. */
export const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];

async function valuesOf(database: SqlDatabase, tables: string[]): Promise<string[]> {
  const values: string[] = [];
  for (const table of tables) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(database.db);
    for (const row of rows.rows) for (const value of Object.values(row)) values.push(String(value));
  }
  return values;
}

async function sqlWorld(database: SqlDatabase, listTables: () => Promise<string[]>, cleanUp: () => Promise<void>): Promise<StoreWorld> {
  const clock = new FixedClock();
  return {
    store: createSqlStore(database, new SecretBox(randomBytes(32)), clock),
    clock,
    secretsWritten: new Set(),
    database,
    allStoredValues: async () => valuesOf(database, await listTables()),
    close: async () => {
      await database.close();
      await cleanUp();
    },
  };
}

export const storeWorlds: StoreWorldFactory[] = [
  {
    name: 'in-memory fake',
    open: async () => {
      const appEndpoints = new InMemoryAppEndpoints();
      const outbox = new InMemoryWebhookOutbox(appEndpoints);
      const idempotencyRecords = new InMemoryIdempotencyRecords();
      const chargeLedger = new InMemoryChargeLedger(new InMemoryInvoices(outbox), idempotencyRecords);
      const eventInbox = new InMemoryEventInbox();
      return {
        store: {
          apps: new InMemoryApps(),
          apiKeys: new InMemoryApiKeys(),
          stripeAccounts: new InMemoryStripeAccounts(),
          tenants: new InMemoryTenants(),
          idempotencyRecords,
          chargeLedger,
          invoices: chargeLedger.invoices,
          webhookSecrets: new InMemoryWebhookSecrets(),
          eventInbox,
          appEndpoints,
          outbox,
          expiredRecords: new InMemoryExpiredRecords({ idempotencyRecords, eventInbox, outbox, chargeLedger }),
        },
        clock: new FixedClock(),
        secretsWritten: new Set(),
        close: async () => undefined,
      };
    },
  },
  {
    name: 'SQLite (embedded)',
    open: async () => {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-store-'));
      const database = await openDatabase({ dataDir });
      const tables = async () =>
        (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(database.db)).rows.map((row) => row.name);
      return sqlWorld(database, tables, async () => rmSync(dataDir, { recursive: true, force: true }));
    },
  },
  {
    name: 'PostgreSQL',
    ...(POSTGRES_URL ? {} : { unavailable: 'TEST_POSTGRES_URL is not set (bash .ci/run sets it)' }),
    open: async () => {
      const schema = `test_${randomBytes(6).toString('hex')}`;
      const database = await openDatabase({ url: POSTGRES_URL, dataDir: '.', schema });
      const tables = async () =>
        (
          await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = ${schema}`.execute(database.db)
        ).rows.map((row) => row.table_name);
      return sqlWorld(database, tables, () => dropPostgresSchema(POSTGRES_URL!, schema));
    },
  },
];

/**
 * Runs `suite` once per store world. A world that cannot run here is reported as skipped with the reason, never
 * silently passed.
 */
export function forEachStore(title: string, suite: (world: () => StoreWorld) => void): void {
  for (const factory of storeWorlds) {
    const describeWorld = factory.unavailable ? describe.skip : describe;
    const name = factory.unavailable ? `${title}: ${factory.name} (skipped: ${factory.unavailable})` : `${title}: ${factory.name}`;
    describeWorld(name, () => {
      let world: StoreWorld;
      beforeAll(async () => {
        world = await factory.open();
      }, 60_000);
      afterAll(async () => {
        if (!world) return;
        try {
          if (world.allStoredValues && world.secretsWritten.size > 0) {
            const stored = (await world.allStoredValues()).join('\n');
            for (const secret of world.secretsWritten) expect(stored.includes(secret)).toBe(false);
          }
        } finally {
          await world.close();
        }
      });
      suite(() => world);
    });
  }
}
