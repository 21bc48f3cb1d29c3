import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createStripeClient } from '../../adapters/stripe/stripe-client';
import { seedTestAccount, startStripeEmulator, type RunningEmulator, type SeededAccount } from '@tenant-stripe-invoices/stripe-emulator';
import { runCli, runCliAsync } from '../adapters/cli/run-built-cli';
import { freePort, startNode } from './processes';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-crash-'));
const env = { DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('hex'), IDEMPOTENCY_LEASE_SECONDS: '1' };
let emulator: RunningEmulator;
let seeded: SeededAccount;
let headers: Record<string, string>;
let tenant: { tenantId: string; userId: string };

beforeAll(async () => {
  emulator = await startStripeEmulator();
  seeded = await seedTestAccount(createStripeClient({ baseUrl: emulator.url, timeoutMs: 5_000 }), 'sk_test_crashRecovery');
  const cli = (args: string[], input?: string) => runCli([...args, '--json'], env, input).json<Record<string, string>>();
  const app = cli(['apps', 'create', '--name', 'Crashing']);
  const key = cli(['keys', 'create', '--app', app['id']!, '--type', 'write']);
  cli(['stripe', 'set-key', '--app', app['id']!, '--mode', 'test'], 'sk_test_crashRecovery');
  const userId = randomUUID();
  tenant = { tenantId: cli(['tenants', 'create', '--app', app['id']!, '--test-customer', seeded.customers.pays, '--member', userId])['id']!, userId };
  headers = { 'content-type': 'application/json', 'x-api-key': key['secret']!, 'x-api-key-type': 'write', 'x-client-id': app['id']! };
}, 60_000);

afterAll(async () => {
  await emulator?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function server(crashAt?: string) {
  const port = await freePort();
  const extra: Record<string, string> = crashAt ? { ENABLE_TEST_FAULTS: '1', TEST_CRASH_AT: crashAt } : {};
  const process = await startNode('main.js', [], { ...env, ...extra, PORT: String(port), STRIPE_API_BASE: emulator.url }, /"msg":"listening"/);
  return { process, url: `http://127.0.0.1:${port}` };
}

function charge(url: string, key: string, mode: 'payment' | 'subscription') {
  const body = {
    price: mode === 'payment' ? seeded.prices.oneTime : seeded.prices.recurring, taxRate: seeded.taxRates.exclusive,
    mode, quantity: 1, userId: tenant.userId, test: true,
  };
  return fetch(`${url}/api/v1/tenants/${tenant.tenantId}/stripe-invoices`, { method: 'POST', headers: { ...headers, 'idempotency-key': key }, body: JSON.stringify(body) });
}

const leaseRunsOut = () => new Promise((resolve) => setTimeout(resolve, 1_200));

describe('a server killed (SIGKILL) at each recovery point, restarted, and the caller retries', () => {
  it.each([
    ['payment', 'claimed'],
    ['payment', 'invoice_created'],
    ['payment', 'lines_added'],
    ['payment', 'paid'],
    ['subscription', 'claimed'],
    ['subscription', 'subscription_created'],
  ] as const)('%s killed at %s: completes, one invoice, one charge', async (mode, point) => {
    const before = emulator.core.stats().test;
    const key = `crash-${mode}-${point}`;
    const dying = await server(point);
    await expect(charge(dying.url, key, mode)).rejects.toThrow(); // the connection dies with the process
    expect(await dying.process.exited).toBeNull(); // killed by a signal, not exited

    const restarted = await server();
    await leaseRunsOut();
    const retry = await charge(restarted.url, key, mode);
    const answer = (await retry.json()) as { data: { paymentIntents: { status: string } } };
    expect(retry.status).toBe(201);
    expect(answer.data.paymentIntents.status).toBe('succeeded');
    const again = await charge(restarted.url, key, mode);
    expect(await again.json()).toEqual(answer);
    await restarted.process.stop();

    const after = emulator.core.stats().test;
    expect(after.invoices - before.invoices).toBe(1);
    expect(after.charges - before.charges).toBe(1);
    expect(after.subscriptions - before.subscriptions).toBe(mode === 'subscription' ? 1 : 0);
  }, 30_000);
});

describe('the reconciliation command', () => {
  it('completes an abandoned operation that no caller retries; a later retry gets its answer', async () => {
    const before = emulator.core.stats().test;
    const dying = await server('lines_added');
    await expect(charge(dying.url, 'abandoned-by-everyone', 'payment')).rejects.toThrow();
    await dying.process.exited;
    expect(emulator.core.stats().test.charges).toBe(before.charges);
    await leaseRunsOut();

    const operatorEnv = { ...env, STRIPE_API_BASE: emulator.url };
    const run = await runCliAsync(['operations', 'reconcile', '--json'], operatorEnv);
    expect([run.code, run.stderr]).toEqual([0, '']);
    const report = run.json<{ operations: { key: string; result: string; detail: string }[] }>();
    expect(report.operations).toEqual([{ appId: headers['x-client-id'], key: 'abandoned-by-everyone', operationId: expect.any(String), result: 'completed', detail: expect.stringMatching(/^succeeded: invoice in_/) }]);
    expect(emulator.core.stats().test.charges - before.charges).toBe(1);
    expect((await runCliAsync(['operations', 'reconcile', '--json'], operatorEnv)).json()).toMatchObject({ operations: [] });

    const later = await server();
    const retry = await charge(later.url, 'abandoned-by-everyone', 'payment');
    expect(retry.status).toBe(201);
    const invoiceId = ((await retry.json()) as { data: { invoice: { id: string } } }).data.invoice.id;
    expect(report.operations[0]!.detail).toContain(invoiceId);
    await later.process.stop();
    expect(emulator.core.stats().test.invoices - before.invoices).toBe(1);
    expect(emulator.core.stats().test.charges - before.charges).toBe(1);
  }, 30_000);
});
