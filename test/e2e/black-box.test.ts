import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStripeClient } from '../../adapters/stripe/stripe-client';
import { seedTestAccount } from '@tenant-stripe-invoices/stripe-emulator';
import { runCli } from '../adapters/cli/run-built-cli';
import { EMULATOR_BIN, freePort, startNode, type RunningProcess } from './processes';

const STRIPE_KEY = 'sk_test_blackBoxAccount';
const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-e2e-'));
const env = { DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('base64') };
let emulator: RunningProcess;
let server: RunningProcess;
let emulatorUrl: string;
let baseUrl: string;
let credentials: Record<string, string>;
const tenants: Record<'pays' | 'declines' | 'requiresAction', { tenantId: string; userId: string }> = {} as never;
let prices: { oneTime: string; recurring: string; taxRate: string };

function cli(args: string[], input?: string) {
  const run = runCli([...args, '--json'], env, input);
  if (run.code !== 0) throw new Error(`cli ${args.join(' ')} failed (${run.code}): ${run.stderr}`);
  return run.json<Record<string, any>>();
}

beforeAll(async () => {
  const emulatorPort = await freePort();
  emulator = await startNode(EMULATOR_BIN, ['--port', String(emulatorPort)], {}, /listening on/);
  emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const seeded = await seedTestAccount(createStripeClient({ baseUrl: emulatorUrl, timeoutMs: 5_000 }), STRIPE_KEY);
  prices = { oneTime: seeded.prices.oneTime, recurring: seeded.prices.recurring, taxRate: seeded.taxRates.exclusive };

  // The operator sets the app up with the CLI, against the same data folder the server will use.
  const app = cli(['apps', 'create', '--name', 'Black box']);
  const key = cli(['keys', 'create', '--app', app['id'], '--type', 'write']);
  cli(['stripe', 'set-key', '--app', app['id'], '--mode', 'test'], STRIPE_KEY);
  credentials = { 'x-api-key': key['secret'], 'x-api-key-type': 'write', 'x-client-id': app['id'], 'content-type': 'application/json' };
  for (const name of ['pays', 'declines', 'requiresAction'] as const) {
    const userId = randomUUID();
    const tenant = cli(['tenants', 'create', '--app', app['id'], '--country', 'DE', '--test-customer', seeded.customers[name], '--member', userId]);
    tenants[name] = { tenantId: tenant['id'], userId };
  }

  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  server = await startNode('main.js', [], { ...env, PORT: String(port), STRIPE_API_BASE: emulatorUrl }, /"msg":"listening"/);
}, 90_000);

afterAll(async () => {
  const serverExit = await server?.stop('SIGTERM');
  await emulator?.stop('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
  expect(serverExit).toBe(0);
});

const input = (name: keyof typeof tenants, mode: 'payment' | 'subscription' = 'payment') => ({
  price: mode === 'payment' ? prices.oneTime : prices.recurring,
  taxRate: prices.taxRate,
  mode,
  quantity: 2,
  userId: tenants[name].userId,
  test: true,
});

async function rest(name: keyof typeof tenants, mode: 'payment' | 'subscription' = 'payment') {
  const response = await fetch(`${baseUrl}/api/v1/tenants/${tenants[name].tenantId}/stripe-invoices`, {
    method: 'POST', headers: credentials, body: JSON.stringify(input(name, mode)),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

async function graphql(name: keyof typeof tenants, mode: 'payment' | 'subscription' = 'payment') {
  const query = `mutation($t: ID!, $i: CreateStripeInvoiceInput!) { createStripeInvoice(tenantId: $t, input: $i) {
    __typename ... on CreateStripeInvoiceSuccess { status paymentIntent { status } subscription { status } } ... on Error { code } } }`;
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST', headers: credentials, body: JSON.stringify({ query, variables: { t: tenants[name].tenantId, i: input(name, mode) } }),
  });
  return (await response.json()) as { data: { createStripeInvoice: Record<string, any> } };
}

describe('the built server against a standalone emulator, set up with the built CLI', () => {
  it('charges a one-off invoice over REST and GraphQL', async () => {
    const viaRest = await rest('pays');
    expect(viaRest.status).toBe(201);
    expect(viaRest.body['data'].paymentIntents).toMatchObject({ status: 'succeeded', amount: 4758, object: 'payment_intent' });
    expect((await graphql('pays')).data.createStripeInvoice).toMatchObject({ __typename: 'CreateStripeInvoiceSuccess', status: 'succeeded' });
  });

  it('starts a subscription over REST and GraphQL', async () => {
    const viaRest = await rest('pays', 'subscription');
    expect(viaRest.status).toBe(201);
    expect(viaRest.body['data'].subscription).toMatchObject({ status: 'active' });
    expect((await graphql('pays', 'subscription')).data.createStripeInvoice).toMatchObject({ status: 'succeeded', subscription: { status: 'active' } });
  });

  it('reports a declined card over REST and GraphQL', async () => {
    const viaRest = await rest('declines');
    expect([viaRest.status, viaRest.body['code']]).toEqual([402, 'PAYMENT_DECLINED']);
    expect((await graphql('declines')).data.createStripeInvoice).toEqual({ __typename: 'PaymentDeclinedError', code: 'PAYMENT_DECLINED' });
  });

  it('returns a 3-D Secure challenge over REST and GraphQL', async () => {
    const viaRest = await rest('requiresAction');
    expect(viaRest.status).toBe(201);
    expect(viaRest.body['data'].paymentIntents).toMatchObject({ status: 'requires_action', client_secret: expect.stringContaining('_secret_') });
    expect((await graphql('requiresAction')).data.createStripeInvoice).toMatchObject({ status: 'requires_action', paymentIntent: { status: 'requires_action' } });
  });

  it('left exactly the expected objects in the emulator, and a ledger row per attempt', async () => {
    const stats = (await (await fetch(`${emulatorUrl}/_emulator/stats`)).json()) as Record<string, Record<string, number>>;
    expect(stats['test']).toMatchObject({
      invoices: 8, paidInvoices: 4, voidInvoices: 2, openInvoices: 2, charges: 4, subscriptions: 2, activeSubscriptions: 2,
    });
    expect(stats['live']).toMatchObject({ invoices: 0, charges: 0 });
    const ledger = runCli(['ledger', 'list', '--app', credentials['x-client-id']!, '--json'], env).json<{ outcome: string }[]>();
    expect(ledger.map((row) => row.outcome).sort()).toEqual(
      ['declined', 'declined', 'requires_action', 'requires_action', 'succeeded', 'succeeded', 'succeeded', 'succeeded'],
    );
  });
});
