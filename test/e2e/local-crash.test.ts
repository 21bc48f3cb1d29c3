import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCliAsync } from '../adapters/cli/run-built-cli';
import { NOTHING_DONE, doneBy } from '../support/reconcile-report';
import { freePort, startNode, type RunningProcess } from './processes';
import { eventually } from '../support/eventually';

// Local mode keeps the emulator in the server's own process: a SIGKILL takes Stripe down with it. Whatever either had
// answered must survive, and every key must end with a final answer, charged exactly once.

const BURST = 50;
const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-local-crash-'));
let env: Record<string, string>;
let server: RunningProcess | undefined;

const BANNER_DONE = /The same over GraphQL:[\s\S]*-d '\{"query"[^\n]*'\n/;
const credentials = () => JSON.parse(readFileSync(path.join(dataDir, 'local-credentials.json'), 'utf8')) as Record<string, any>;

beforeAll(async () => {
  env = {
    DATA_DIR: dataDir,
    PORT: String(await freePort()),
    STRIPE_EMULATOR_PORT: String(await freePort()),
    IDEMPOTENCY_LEASE_SECONDS: '1',
    RECONCILE_INTERVAL_SECONDS: '0',
  };
  server = await startNode('main.js', [], env, BANNER_DONE);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

function charge(key: string, mode: 'payment' | 'subscription') {
  const local = credentials();
  const { tenantId, userId } = local['tenants'].pays;
  const body = { price: mode === 'payment' ? local['priceOneTime'] : local['priceRecurring'], taxRate: local['taxRate'], mode, quantity: 1, userId, test: true };
  return fetch(`${local['baseUrl']}/api/v1/tenants/${tenantId}/stripe-invoices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': local['writeKey'], 'x-api-key-type': 'write', 'x-client-id': local['clientId'], 'idempotency-key': key },
    body: JSON.stringify(body),
  });
}

/** Retries with the same key what the contract says is safe to retry, until the answer is final. */
async function finalAnswer(key: string, mode: 'payment' | 'subscription'): Promise<{ status: number; body: Record<string, any> }> {
  for (let attempt = 0; attempt < 40; attempt += 1) {
    const response = await charge(key, mode);
    const body = (await response.json()) as Record<string, any>;
    if (![409, 502, 503].includes(response.status)) return { status: response.status, body };
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`${key} never got a final answer`);
}

function inboxWorkedThrough(): Promise<void> {
  let backlog = NaN;
  return eventually(
    async () => {
      const metrics = await (await fetch(`${credentials()['baseUrl']}/metrics`)).text();
      backlog = Number(/^stripe_events_backlog (\d+)/m.exec(metrics)?.[1]);
      return backlog === 0;
    },
    { withinMs: 60_000, everyMs: 100, seen: () => ({ backlog }) },
  );
}

describe('local mode killed (SIGKILL) in the middle of a burst', () => {
  it('restarts, and every key ends with one final answer: no duplicate, nothing lost; reconcile then has nothing left', async () => {
    const emulator = credentials()['stripeEmulatorUrl'] as string;
    // Stripe slow enough that the kill lands while many charges are between their steps.
    await fetch(`${emulator}/_emulator/config`, { method: 'POST', body: JSON.stringify({ latency: { fixedMs: 30, jitterMs: 30 } }) });
    const keys = Array.from({ length: BURST }, (_, n) => ({ key: `burst-${n}`, mode: n % 5 === 4 ? ('subscription' as const) : ('payment' as const) }));
    const burst = keys.map(({ key, mode }) => charge(key, mode).then((response) => response.status, () => 'cut off'));
    // Kill once Stripe holds work of the burst: invoices created, some paid, the rest between steps.
    let atKill: Record<string, number> = {};
    for (let waited = 0; waited < 5_000; waited += 20) {
      atKill = ((await (await fetch(`${emulator}/_emulator/stats`)).json()) as Record<string, Record<string, number>>)['test']!;
      if (atKill['invoices']! >= BURST / 2) break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await server!.stop('SIGKILL');
    const before = await Promise.all(burst);
    const cutOff = before.filter((status) => status === 'cut off').length;
    expect(cutOff).toBeGreaterThan(0); // the kill did cut charges off

    server = await startNode('main.js', [], env, BANNER_DONE);
    const answers = await Promise.all(keys.map(({ key, mode }) => finalAnswer(key, mode)));
    expect(answers.map((answer) => answer.status)).toEqual(keys.map(() => 201));
    const invoices = answers.map((answer) => answer.body['data'].invoice.id as string);
    expect(new Set(invoices).size).toBe(BURST);

    const stats = (await (await fetch(`${credentials()['stripeEmulatorUrl']}/_emulator/stats`)).json()) as Record<string, Record<string, number>>;
    const subscriptions = keys.filter((entry) => entry.mode === 'subscription').length;
    // Exactly one charge per key: none lost, none twice (the seeding charges nothing).
    expect(stats['test']).toMatchObject({ charges: BURST, paidInvoices: BURST, subscriptions, activeSubscriptions: subscriptions });

    // The server keeps taking Stripe's webhooks in the background; the check below is about what reconcile finds
    // left over, so it starts once the server has worked through what was delivered to it.
    await inboxWorkedThrough();
    const cliEnv = { DATA_DIR: dataDir, STRIPE_API_BASE: credentials()['stripeEmulatorUrl'] as string };
    const first = await runCliAsync(['operations', 'reconcile', '--json'], cliEnv);
    expect(first.code).toBe(0);
    const second = await runCliAsync(['operations', 'reconcile', '--json'], cliEnv);
    expect(doneBy(second.json())).toEqual(NOTHING_DONE);
    const settled = first.json<{ operations: unknown[]; attempts: unknown[] }>();
    console.info(`local-mode kill: ${cutOff} of ${BURST} charges cut off, Stripe holding ${atKill['invoices']} invoices and ${atKill['charges']} charges; ` +
      `after the restart ${BURST} final answers; ` +
      `first reconcile settled ${settled.operations.length} operations and ${settled.attempts.length} attempts, the second nothing`);
    const after = (await (await fetch(`${credentials()['stripeEmulatorUrl']}/_emulator/stats`)).json()) as Record<string, Record<string, number>>;
    expect(after['test']).toMatchObject({ charges: BURST, paidInvoices: BURST });
  }, 120_000);
});
