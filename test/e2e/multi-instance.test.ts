import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStripeClient } from '../../adapters/stripe/stripe-client';
import { seedTestAccount, startStripeEmulator, type RunningEmulator } from '@tenant-stripe-invoices/stripe-emulator';
import { runCli } from '../adapters/cli/run-built-cli';
import { POSTGRES_URL } from '../contracts/store/store-worlds';
import { createTestDatabase } from '../support/postgres-database';
import { freePort, startNode, type RunningProcess } from './processes';

const KEYS = 30;
const describeWithPostgres = POSTGRES_URL ? describe : describe.skip;
const title = POSTGRES_URL ? '' : ' (skipped: TEST_POSTGRES_URL is not set; bash .ci/run sets it)';

describeWithPostgres(`exactly once across two server processes sharing PostgreSQL${title}`, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-multi-'));
  let database: { url: string; drop(): Promise<void> };
  let emulator: RunningEmulator;
  const servers: RunningProcess[] = [];
  const urls: string[] = [];
  let headers: Record<string, string>;
  let body: Record<string, unknown>;
  let tenantId: string;

  beforeAll(async () => {
    database = await createTestDatabase(POSTGRES_URL!);
    emulator = await startStripeEmulator({ latency: { fixedMs: 15, jitterMs: 15 } });
    const seeded = await seedTestAccount(createStripeClient({ baseUrl: emulator.url, timeoutMs: 5_000 }), 'sk_test_multiInstance');
    const env = { DATA_DIR: dataDir, DATABASE_URL: database.url, MASTER_KEY: randomBytes(32).toString('hex') };
    const cli = (args: string[], input?: string) => runCli([...args, '--json'], env, input).json<Record<string, string>>();
    const app = cli(['apps', 'create', '--name', 'Two instances']);
    const key = cli(['keys', 'create', '--app', app['id']!, '--type', 'write']);
    cli(['stripe', 'set-key', '--app', app['id']!, '--mode', 'test'], 'sk_test_multiInstance');
    const userId = randomUUID();
    tenantId = cli(['tenants', 'create', '--app', app['id']!, '--test-customer', seeded.customers.pays, '--member', userId])['id']!;
    headers = { 'content-type': 'application/json', 'x-api-key': key['secret']!, 'x-api-key-type': 'write', 'x-client-id': app['id']! };
    body = { price: seeded.prices.oneTime, taxRate: seeded.taxRates.exclusive, mode: 'payment', quantity: 1, userId, test: true };
    for (let index = 0; index < 2; index += 1) {
      const port = await freePort();
      urls.push(`http://127.0.0.1:${port}`);
      servers.push(
        await startNode('main.js', [], { ...env, PORT: String(port), STRIPE_API_BASE: emulator.url, RATE_LIMIT_PER_SECOND: '0' }, /"msg":"listening"/),
      );
    }
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) await server.stop('SIGTERM');
    await emulator?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Sends one request to one instance, retrying 409 with the same key like a well-behaved client. */
  async function send(url: string, key: string) {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const response = await fetch(`${url}/api/v1/tenants/${tenantId}/stripe-invoices`, {
        method: 'POST', headers: { ...headers, 'idempotency-key': key }, body: JSON.stringify(body),
      });
      statuses.push(response.status);
      if (response.status !== 409) return { statuses, body: await response.text() };
      await response.arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`still 409 after 50 attempts: ${key}`);
  }

  it(`charges each of ${KEYS} keys once, each sent concurrently to both instances twice, with no 5xx`, async () => {
    const keys = Array.from({ length: KEYS }, (_, index) => `multi-${index}-${randomUUID()}`);
    const results = await Promise.all(keys.map((key) => Promise.all([send(urls[0]!, key), send(urls[1]!, key), send(urls[0]!, key), send(urls[1]!, key)])));
    const statuses = results.flat().flatMap((result) => result.statuses);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    for (const perKey of results) {
      expect(perKey.map((result) => result.statuses.at(-1))).toEqual([201, 201, 201, 201]);
      expect(new Set(perKey.map((result) => result.body)).size).toBe(1);
    }
    const invoiceIds = new Set(results.map((perKey) => (JSON.parse(perKey[0]!.body) as { data: { invoice: { id: string } } }).data.invoice.id));
    expect(invoiceIds.size).toBe(KEYS);
    expect(emulator.core.stats().test).toMatchObject({ invoices: KEYS, charges: KEYS });
    const conflicts = statuses.filter((status) => status === 409).length;
    console.info(`${KEYS} keys × 4 concurrent requests over 2 instances: ${statuses.length} answers (${conflicts} × 409 while in flight), ${KEYS} invoices, ${KEYS} charges`);
  }, 120_000);
});
