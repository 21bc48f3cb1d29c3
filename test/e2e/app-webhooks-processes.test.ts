import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { emulatorClient, seedTestAccount, startStripeEmulator, type RunningEmulator } from '@tenant-stripe-invoices/stripe-emulator';
import { runCli } from '../adapters/cli/run-built-cli';
import { POSTGRES_URL } from '../contracts/store/store-worlds';
import { createTestDatabase } from '../support/postgres-database';
import { freePort, startNode, type RunningProcess } from './processes';
import { eventually } from '../support/eventually';

// The dispatcher across processes: killed while a delivery is in flight, it delivers after the restart under the
// same webhook-id; two processes on one PostgreSQL database deliver each of 200 events once.

const STRIPE_KEY = 'sk_test_outboundProcesses';

/** A receiver that verifies with standardwebhooks, and can hold requests unanswered (a delivery in flight). */
async function receiver() {
  const seen: string[] = [];
  const accepted: string[] = [];
  const held: ServerResponse[] = [];
  let hold = false;
  let secret = '';
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const headers = Object.fromEntries(['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((name) => [name, String(request.headers[name])]));
      try {
        new Webhook(secret).verify(Buffer.concat(chunks).toString('utf8'), headers);
      } catch {
        response.writeHead(400).end();
        return;
      }
      seen.push(headers['webhook-id']!);
      if (hold) {
        held.push(response);
        return;
      }
      accepted.push(headers['webhook-id']!);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    seen,
    accepted,
    hold: (value: boolean) => (hold = value),
    useSecret: (value: string) => (secret = value),
    close: () => {
      for (const response of held) response.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function setUp(emulator: RunningEmulator, env: Record<string, string>, url: string) {
  const seeded = await seedTestAccount(emulatorClient(emulator.url), STRIPE_KEY);
  const cli = (args: string[], input?: string) => runCli([...args, '--json'], env, input).json<Record<string, string>>();
  const app = cli(['apps', 'create', '--name', 'Outbound processes']);
  const key = cli(['keys', 'create', '--app', app['id']!, '--type', 'write']);
  cli(['stripe', 'set-key', '--app', app['id']!, '--mode', 'test'], STRIPE_KEY);
  const endpoint = cli(['webhooks', 'add', '--app', app['id']!, '--url', url, '--events', 'invoice.paid']);
  const userId = randomUUID();
  const tenantId = cli(['tenants', 'create', '--app', app['id']!, '--test-customer', seeded.customers.pays, '--member', userId])['id']!;
  const headers = { 'content-type': 'application/json', 'x-api-key': key['secret']!, 'x-api-key-type': 'write', 'x-client-id': app['id']! };
  const body = JSON.stringify({ price: seeded.prices.oneTime, taxRate: seeded.taxRates.exclusive, mode: 'payment', quantity: 1, userId, test: true });
  return {
    secret: endpoint['secret']!,
    charge: async (baseUrl: string) => {
      const response = await fetch(`${baseUrl}/api/v1/tenants/${tenantId}/stripe-invoices`, { method: 'POST', headers, body });
      expect(response.status).toBe(201);
    },
  };
}

async function startServer(env: Record<string, string>, emulator: RunningEmulator) {
  const port = await freePort();
  const server = await startNode('main.js', [], { ...env, PORT: String(port), STRIPE_API_BASE: emulator.url, RATE_LIMIT_PER_SECOND: '0', RECONCILE_INTERVAL_SECONDS: '0' }, /"msg":"listening"/);
  return { server, url: `http://127.0.0.1:${port}` };
}

const until = (done: () => boolean, withinMs = 20_000) => eventually(done, { withinMs });

describe('the dispatcher killed while a delivery is in flight', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-outbound-crash-'));
  let emulator: RunningEmulator;
  let running: RunningProcess | undefined;
  let target: Awaited<ReturnType<typeof receiver>>;

  afterAll(async () => {
    await running?.stop('SIGKILL');
    await target?.close();
    await emulator?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers after the restart, under the same webhook-id', async () => {
    emulator = await startStripeEmulator();
    target = await receiver();
    // A short timeout, so that the claim of the killed process (timeout + 5 s) runs out soon.
    const env = { DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('hex'), WEBHOOK_TIMEOUT_SECONDS: '2' };
    const setup = await setUp(emulator, env, target.url);
    target.useSecret(setup.secret);
    target.hold(true);
    let { server, url } = await startServer(env, emulator);
    running = server;
    await setup.charge(url);
    await until(() => target.seen.length === 1);
    expect(await server.stop('SIGKILL')).toBeNull();
    target.hold(false);

    ({ server, url } = await startServer(env, emulator));
    running = server;
    await until(() => target.accepted.length === 1);
    expect(target.accepted).toEqual([target.seen[0]]);
    expect(new Set(target.seen).size).toBe(1);
  }, 60_000);
});

const describeWithPostgres = POSTGRES_URL ? describe : describe.skip;
const title = POSTGRES_URL ? '' : ' (skipped: TEST_POSTGRES_URL is not set; bash .ci/run sets it)';

describeWithPostgres(`two dispatchers on one PostgreSQL database${title}`, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-outbound-multi-'));
  let database: { url: string; drop(): Promise<void> };
  let emulator: RunningEmulator;
  let target: Awaited<ReturnType<typeof receiver>>;
  const servers: RunningProcess[] = [];

  afterAll(async () => {
    for (const server of servers) await server.stop('SIGTERM');
    await target?.close();
    await emulator?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('deliver each of 200 events once', async () => {
    database = await createTestDatabase(POSTGRES_URL!);
    emulator = await startStripeEmulator();
    target = await receiver();
    const env = { DATA_DIR: dataDir, DATABASE_URL: database.url, MASTER_KEY: randomBytes(32).toString('hex') };
    const setup = await setUp(emulator, env, target.url);
    target.useSecret(setup.secret);
    const instances = [await startServer(env, emulator), await startServer(env, emulator)];
    servers.push(...instances.map((instance) => instance.server));
    const EVENTS = 200;
    for (let first = 0; first < EVENTS; first += 10) {
      await Promise.all(Array.from({ length: 10 }, (_, n) => setup.charge(instances[(first + n) % 2]!.url)));
    }
    await until(() => target.accepted.length >= EVENTS, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    console.info(`two dispatchers: ${EVENTS} events, ${target.seen.length} deliveries received, ${new Set(target.accepted).size} distinct webhook-ids accepted`);
    expect(new Set(target.accepted).size).toBe(EVENTS);
    expect(target.seen).toHaveLength(EVENTS);
  }, 120_000);
});
