import { spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { sqliteFile } from '../../adapters/sql/open-database';
import { freePort } from '../e2e/processes';
import { createTestDatabase } from '../support/postgres-database';
import { atStop, DIST, scratchDir, start } from './bench-processes';
import { fillInvoices } from './fill-invoices';
import { fillStore } from './fill-store';

/** One service under test on its own store, set up by an operator with the CLI. */
export interface BenchService {
  child: ChildProcessWithoutNullStreams;
  startMs: number;
  url: string;
  appId: string;
  tenantId: string;
  userId: string;
  headers: Record<string, string>;
  readHeaders: Record<string, string>;
  /** The charges route of the tenant. */
  restUrl: string;
  /** An invoice id half-way down the tenant's invoices: the cursor of the deep page. */
  middle: string;
  /** What the store grew by per pre-filled charge, indexes included (undefined without a prefill). */
  bytesPerCharge?: number | undefined;
}

export interface StoreOptions {
  emulatorUrl: string;
  stripeKey: string;
  customer: string;
  /** A PostgreSQL server: the store is a database made for this run there (dropped at the end). Absent: SQLite. */
  postgresUrl?: string | undefined;
  /** Invoices of the listed tenant. */
  invoices: number;
  /** Finished charges written before the run (idempotency answers, ledger rows, invoices, Stripe events). */
  prefill: number;
  nodeOptions?: string[];
}

export async function startBenchService(options: StoreOptions): Promise<BenchService> {
  const dataDir = scratchDir(mkdtempSync(path.join(tmpdir(), 'tsinv-bench-')));
  const databaseUrl = options.postgresUrl ? await createDatabase(options.postgresUrl) : undefined;
  const env: Record<string, string> = {
    DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('hex'), STRIPE_API_BASE: options.emulatorUrl, RATE_LIMIT_PER_SECOND: '0', LOG_LEVEL: 'warn',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const cli = (args: string[], input = '') => {
    const run = spawnSync(process.execPath, [path.join(DIST, 'adapters/composition/cli-main.js'), ...args, '--json'], { env: { PATH: process.env['PATH'] ?? '', ...env }, input, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout) as Record<string, string>;
  };
  const app = cli(['apps', 'create', '--name', 'Bench']);
  const key = cli(['keys', 'create', '--app', app['id']!, '--type', 'write']);
  cli(['stripe', 'set-key', '--app', app['id']!, '--mode', 'test'], options.stripeKey);
  const userId = randomUUID();
  const tenant = cli(['tenants', 'create', '--app', app['id']!, '--test-customer', options.customer, '--member', userId]);
  const readKey = cli(['keys', 'create', '--app', app['id']!, '--type', 'read']);
  const where = { dataDir, databaseUrl };
  const owner = { appId: app['id']!, tenantId: tenant['id']!, userId, keyId: key['id']! };
  const store = databaseUrl ? 'PostgreSQL' : 'SQLite';
  console.error(`${store}: writing ${options.invoices} invoices into the store …`);
  const middle = await fillInvoices(where, owner, options.invoices);
  let bytesPerCharge: number | undefined;
  if (options.prefill > 0) {
    const started = Date.now();
    const before = await storeBytes(where);
    console.error(`${store}: writing ${options.prefill} finished charges (idempotency answers, ledger rows, invoices, Stripe events) into the store …`);
    await fillStore(where, owner, options.prefill);
    bytesPerCharge = Math.round(((await storeBytes(where)) - before) / options.prefill);
    console.error(`… in ${Math.round((Date.now() - started) / 1000)} s`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = await start('adapters/composition/main.js', [], { ...env, PORT: String(port) }, `${url}/healthz`, options.nodeOptions);
  return {
    ...service,
    url,
    appId: owner.appId,
    tenantId: owner.tenantId,
    userId,
    headers: { 'x-api-key': key['secret']!, 'x-api-key-type': 'write', 'x-client-id': owner.appId },
    readHeaders: { 'x-api-key': readKey['secret']!, 'x-api-key-type': 'read', 'x-client-id': owner.appId },
    restUrl: `${url}/api/v1/tenants/${owner.tenantId}/stripe-invoices`,
    middle,
    bytesPerCharge,
  };
}

/** The store's size on disk: the SQLite file and its WAL, or the PostgreSQL database. */
async function storeBytes(where: { dataDir: string; databaseUrl?: string | undefined }): Promise<number> {
  if (!where.databaseUrl) {
    const file = sqliteFile(where.dataDir);
    return [file, `${file}-wal`].reduce((sum, part) => sum + (existsSync(part) ? statSync(part).size : 0), 0);
  }
  const client = new pg.Client({ connectionString: where.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ size: string }>('select pg_database_size(current_database()) as size');
    return Number(rows[0]!.size);
  } finally {
    await client.end();
  }
}

/** A database of its own on the PostgreSQL server, dropped once the servers have stopped. */
async function createDatabase(serverUrl: string): Promise<string> {
  const { url, drop } = await createTestDatabase(serverUrl, `tsinv_bench_${process.pid}`);
  atStop(drop);
  return url;
}
