import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Stripe from 'stripe';
import { emulatorClient, seedTestAccount, startStripeEmulator, type RunningEmulator, type SeededAccount } from '@tenant-stripe-invoices/stripe-emulator';
import { runCli } from '../adapters/cli/run-built-cli';
import { POSTGRES_URL } from '../contracts/store/store-worlds';
import { createTestDatabase } from '../support/postgres-database';
import { freePort, startNode, type RunningProcess } from './processes';
import { eventually } from '../support/eventually';

// The inbox across processes: an event stored by a process that dies before processing it is processed after the
// restart; two processes on one PostgreSQL database that both receive every event apply each once.

const STRIPE_KEY = 'sk_test_inboxProcesses';
const WEBHOOK_SECRET = 'whsec_inboxProcessesSecret0000000000';
const LISTENING = /"msg":"listening"/;
const sdk = new Stripe('sk_test_unused');

interface Setup {
  env: Record<string, string>;
  appId: string;
  headers: Record<string, string>;
  tenant: { tenantId: string; userId: string };
  seeded: SeededAccount;
}

/** An app, its keys, the 3-D Secure tenant, and a webhook secret set by hand, through the operator CLI. */
async function setUp(emulator: RunningEmulator, env: Record<string, string>): Promise<Setup> {
  const seeded = await seedTestAccount(emulatorClient(emulator.url), STRIPE_KEY);
  const cli = (args: string[], input?: string) => runCli([...args, '--json'], env, input).json<Record<string, string>>();
  const app = cli(['apps', 'create', '--name', 'Inbox processes']);
  const key = cli(['keys', 'create', '--app', app['id']!, '--type', 'write']);
  cli(['stripe', 'set-key', '--app', app['id']!, '--mode', 'test'], STRIPE_KEY);
  cli(['stripe', 'set-webhook-secret', '--app', app['id']!, '--mode', 'test'], WEBHOOK_SECRET);
  const userId = randomUUID();
  const tenantId = cli(['tenants', 'create', '--app', app['id']!, '--test-customer', seeded.customers.requiresAction, '--member', userId])['id']!;
  return {
    env,
    appId: app['id']!,
    headers: { 'content-type': 'application/json', 'x-api-key': key['secret']!, 'x-api-key-type': 'write', 'x-client-id': app['id']! },
    tenant: { tenantId, userId },
    seeded,
  };
}

async function startServer(setup: Setup, emulator: RunningEmulator, extra: Record<string, string> = {}) {
  const port = await freePort();
  const server = await startNode('main.js', [], { ...setup.env, PORT: String(port), STRIPE_API_BASE: emulator.url, RATE_LIMIT_PER_SECOND: '0', RECONCILE_INTERVAL_SECONDS: '0', ...extra }, LISTENING);
  return { server, url: `http://127.0.0.1:${port}` };
}

/** A charge that waits for 3-D Secure, then the customer's authentication at the emulator: the events it made. */
async function authenticatedCharge(setup: Setup, url: string, emulator: RunningEmulator) {
  const response = await fetch(`${url}/api/v1/tenants/${setup.tenant.tenantId}/stripe-invoices`, {
    method: 'POST',
    headers: setup.headers,
    body: JSON.stringify({ price: setup.seeded.prices.oneTime, taxRate: setup.seeded.taxRates.exclusive, mode: 'payment', quantity: 1, userId: setup.tenant.userId, test: true }),
  });
  const charged = ((await response.json()) as { data: { invoice: { id: string }; paymentIntents: { id: string; status: string } } }).data;
  expect(charged.paymentIntents.status).toBe('requires_action');
  await fetch(`${emulator.url}/_emulator/payment_intents/${charged.paymentIntents.id}/authenticate`, { method: 'POST', body: '{"outcome":"succeeded"}' });
  const events = (await emulatorClient(emulator.url, STRIPE_KEY).events.list({ limit: 100 })).data;
  return { invoiceId: charged.invoice.id, events: events.filter((event) => event.type === 'invoice.paid' || event.type === 'payment_intent.succeeded' || event.type === 'charge.succeeded') };
}

function deliver(url: string, setup: Setup, event: Stripe.Event) {
  const payload = JSON.stringify(event);
  return fetch(`${url}/api/v1/stripe/webhooks/${setup.appId}/test`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': sdk.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) },
    body: payload,
  });
}

async function paymentStatus(url: string, setup: Setup, invoiceId: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/tenants/${setup.tenant.tenantId}/stripe-invoices/${invoiceId}`, { headers: setup.headers });
  return ((await response.json()) as { data: { invoice: { paymentStatus: string } } }).data.invoice.paymentStatus;
}

describe('an event stored by a process that is then killed', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-inbox-crash-'));
  let emulator: RunningEmulator;
  let running: RunningProcess | undefined;

  afterAll(async () => {
    await running?.stop('SIGKILL');
    await emulator?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is processed after the restart, without being delivered again', async () => {
    emulator = await startStripeEmulator();
    const setup = await setUp(emulator, { DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('hex') });
    let { server, url } = await startServer(setup, emulator);
    running = server;
    const { invoiceId, events } = await authenticatedCharge(setup, url, emulator);
    expect(await paymentStatus(url, setup, invoiceId)).toBe('requires_action');
    await server.stop('SIGTERM');

    ({ server, url } = await startServer(setup, emulator, { ENABLE_TEST_FAULTS: '1', TEST_CRASH_AT: 'event_stored' }));
    running = server;
    const paid = events.find((event) => event.type === 'invoice.paid')!;
    // The process kills itself once the event is in the inbox, before it answers or processes it.
    await expect(deliver(url, setup, paid)).rejects.toThrow();
    expect(await server.stop('SIGKILL')).toBeNull();

    ({ server, url } = await startServer(setup, emulator));
    running = server;
    await eventually(async () => (await paymentStatus(url, setup, invoiceId)) === 'succeeded');
    const redelivered = await deliver(url, setup, paid);
    expect(redelivered.status).toBe(200);
    expect(await redelivered.json()).toMatchObject({ data: { eventId: paid.id, duplicate: true } }); // it was stored before the kill
  }, 60_000);
});

const describeWithPostgres = POSTGRES_URL ? describe : describe.skip;
const title = POSTGRES_URL ? '' : ' (skipped: TEST_POSTGRES_URL is not set; bash .ci/run sets it)';

describeWithPostgres(`two processes on one PostgreSQL database, both receiving every event${title}`, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-inbox-multi-'));
  let database: { url: string; drop(): Promise<void> };
  let emulator: RunningEmulator;
  const servers: RunningProcess[] = [];

  afterAll(async () => {
    for (const server of servers) await server.stop('SIGTERM');
    await emulator?.close();
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores each event once and applies it once', async () => {
    database = await createTestDatabase(POSTGRES_URL!);
    emulator = await startStripeEmulator();
    const setup = await setUp(emulator, { DATA_DIR: dataDir, DATABASE_URL: database.url, MASTER_KEY: randomBytes(32).toString('hex') });
    const instances = [await startServer(setup, emulator), await startServer(setup, emulator)];
    servers.push(...instances.map((instance) => instance.server));
    const charges = [];
    for (let n = 0; n < 10; n += 1) charges.push(await authenticatedCharge(setup, instances[n % 2]!.url, emulator));
    const events = [...new Map(charges.flatMap((charge) => charge.events).map((event) => [event.id, event])).values()];

    const answers = await Promise.all(events.flatMap((event) => instances.map((instance) => deliver(instance.url, setup, event).then((response) => response.json() as Promise<{ data: { eventId: string; duplicate: boolean } }>))));
    for (const event of events) {
      const about = answers.filter((answer) => answer.data.eventId === event.id).map((answer) => answer.data.duplicate).sort();
      expect(about).toEqual([false, true]);
    }
    for (const { invoiceId } of charges) await eventually(async () => (await paymentStatus(instances[0]!.url, setup, invoiceId)) === 'succeeded');
    await eventually(async () => /^stripe_events_backlog 0$/m.test(await (await fetch(`${instances[0]!.url}/metrics`)).text()));
    const processed = await Promise.all(instances.map(async (instance) => {
      const metrics = await (await fetch(`${instance.url}/metrics`)).text();
      return [...metrics.matchAll(/^stripe_events_processed_total\{[^}]*\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    }));
    console.info(`two instances: ${events.length} events, each delivered to both; processed ${processed.join(' + ')} times`);
    expect(processed[0]! + processed[1]!).toBe(events.length);
  }, 90_000);
});
