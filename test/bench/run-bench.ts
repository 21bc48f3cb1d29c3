import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { generateApiKey } from '../../adapters/sql/api-key-format';
import { seedTestAccount } from '@tenant-stripe-invoices/stripe-emulator';
import { createStripeClient } from '../../adapters/stripe/stripe-client';
import { freePort } from '../e2e/processes';
import { fillInvoices } from './fill-invoices';
import { fillStore } from './fill-store';

// `npm run bench`: the service against what a user would otherwise run, in one run on this machine. Every server
// (ours, the baselines, the Stripe emulator) is its own process; autocannon drives the load from this one.

const ROOT = path.resolve(__dirname, '../../..');
const DIST = path.join(ROOT, 'dist');
const DURATION = Number(process.env['BENCH_SECONDS'] ?? 5);
// The machine's speed drifts from minute to minute, so scenarios take turns, round after round, and each reports its
// median: a ratio then compares runs made side by side.
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const STRIPE_KEY = 'sk_test_benchAccount';
/** Finished charges written into the store before the run (BENCH_PREFILL): is the cost flat as the store grows? */
const PREFILL = Number(process.env['BENCH_PREFILL'] ?? 0);
/** Invoices in the store under the read side's scenarios. */
const INVOICES = Number(process.env['BENCH_INVOICES'] ?? 100_000);

const processes: ChildProcessWithoutNullStreams[] = [];
const scratch: string[] = [];

async function start(script: string, args: string[], env: Record<string, string>, url: string, nodeOptions: string[] = []) {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeOptions, path.resolve(DIST, script), ...args], { env: { PATH: process.env['PATH'] ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  processes.push(child);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited:\n${output}`);
    const up = await fetch(url).then((response) => response.status < 500, () => false);
    if (up) return { child, startMs: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** CPU time (user + system) a process has used so far, in ms: fields 14 and 15 of /proc/<pid>/stat, in 10 ms clock ticks. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU ms per request spent by the server under test and by the Stripe emulator. */
  serverCpuMs: number;
  emulatorCpuMs: number;
}

const pids = { emulator: 0 };

interface Scenario {
  url: string;
  server: ChildProcessWithoutNullStreams;
  options: Parameters<typeof load>[2];
}

/** Every scenario once per round, in turn; each scenario's median run (by req/s) stands for it. */
async function measure(scenarios: Record<string, Scenario>, rounds: number): Promise<Record<string, Load>> {
  const runs: Record<string, Load[]> = {};
  for (let round = 0; round < rounds; round += 1) {
    console.error(`  round ${round + 1} of ${rounds}`);
    for (const [name, { url, server, options }] of Object.entries(scenarios)) {
      (runs[name] ??= []).push(await load(url, server, { ...options, warmUp: round === 0 }));
    }
  }
  return Object.fromEntries(Object.entries(runs).map(([name, loads]) => [name, median(loads)]));
}

function median(loads: Load[]): Load {
  const sorted = [...loads].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function load(
  url: string,
  server: ChildProcessWithoutNullStreams,
  options: { body: () => string; headers?: Record<string, string>; connections: number; seconds?: number; uniqueKey?: boolean; warmUp?: boolean; method?: 'GET' },
): Promise<Load> {
  const run = (seconds: number) =>
    autocannon({
      url,
      method: options.method ?? 'POST',
      connections: options.connections,
      duration: seconds,
      headers: { 'content-type': 'application/json', ...options.headers },
      // Each charge carries its own Idempotency-Key, as a careful caller sends it.
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            ...(options.method === 'GET' ? {} : { body: options.body() }),
            ...(options.uniqueKey ? { headers: { ...request.headers, 'idempotency-key': randomUUID() } } : {}),
          }),
        },
      ],
    });
  if (options.warmUp) await run(2); // JIT, connection pools, caches
  const cpuBefore = { server: cpuMs(server.pid!), emulator: cpuMs(pids.emulator) };
  const result = await run(options.seconds ?? DURATION);
  const per = (spent: number) => Math.round((spent / result.requests.total) * 100) / 100;
  return {
    serverCpuMs: per(cpuMs(server.pid!) - cpuBefore.server),
    emulatorCpuMs: per(cpuMs(pids.emulator) - cpuBefore.emulator),
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function main(): Promise<void> {
  const emulatorPort = await freePort();
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const emulatorProfile = process.env['BENCH_PROFILE_EMULATOR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_EMULATOR']}`] : [];
  pids.emulator = (await start(path.join(ROOT, 'packages/stripe-emulator/dist/standalone.js'), ['--port', String(emulatorPort)], {}, `${emulatorUrl}/_emulator/health`, emulatorProfile)).child.pid!;
  const emulator = async (route: string, body?: unknown) =>
    (await fetch(`${emulatorUrl}/_emulator/${route}`, { method: body === undefined ? 'GET' : 'POST', body: JSON.stringify(body) })).json();
  const seeded = await seedTestAccount(createStripeClient({ baseUrl: emulatorUrl, timeoutMs: 10_000 }), STRIPE_KEY);

  // The service, set up by an operator with the CLI, on the embedded SQLite store (or BENCH_DATABASE_URL).
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-bench-'));
  scratch.push(dataDir);
  const env: Record<string, string> = {
    DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('hex'), STRIPE_API_BASE: emulatorUrl, RATE_LIMIT_PER_SECOND: '0', LOG_LEVEL: 'warn',
    ...(process.env['BENCH_DATABASE_URL'] ? { DATABASE_URL: process.env['BENCH_DATABASE_URL'] } : {}),
  };
  const cli = (args: string[], input = '') => {
    const run = spawnSync(process.execPath, [path.join(DIST, 'adapters/composition/cli-main.js'), ...args, '--json'], { env: { PATH: process.env['PATH'] ?? '', ...env }, input, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(run.stderr);
    return JSON.parse(run.stdout) as Record<string, string>;
  };
  const app = cli(['apps', 'create', '--name', 'Bench']);
  const key = cli(['keys', 'create', '--app', app['id']!, '--type', 'write']);
  cli(['stripe', 'set-key', '--app', app['id']!, '--mode', 'test'], STRIPE_KEY);
  const userId = randomUUID();
  const tenant = cli(['tenants', 'create', '--app', app['id']!, '--test-customer', seeded.customers.pays, '--member', userId]);
  const readKey = cli(['keys', 'create', '--app', app['id']!, '--type', 'read']);
  console.error(`writing ${INVOICES} invoices into the store …`);
  const middle = await fillInvoices({ dataDir, databaseUrl: env['DATABASE_URL'] }, { appId: app['id']!, tenantId: tenant['id']!, userId }, INVOICES);
  if (PREFILL > 0) {
    const started = Date.now();
    console.error(`writing ${PREFILL} finished charges (idempotency answers, ledger rows, invoices, Stripe events) into the store …`);
    await fillStore({ dataDir, databaseUrl: env['DATABASE_URL'] }, { appId: app['id']!, tenantId: tenant['id']!, userId, keyId: key['id']! }, PREFILL);
    console.error(`… in ${Math.round((Date.now() - started) / 1000)} s`);
  }

  const ports = { service: await freePort(), echo: await freePort(), graphql: await freePort(), sdk: await freePort() };
  const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`] : [];
  const service = await start('adapters/composition/main.js', [], { ...env, PORT: String(ports.service) }, `http://127.0.0.1:${ports.service}/healthz`, profile);
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const idleRssMb = rssMb(service.child.pid!);
  const baseline = (kind: string, port: number, extra: Record<string, string> = {}) =>
    start('test/bench/baseline-servers.js', [kind], { PORT: String(port), ...extra }, `http://127.0.0.1:${port}/nothing`);
  const echo = (await baseline('echo', ports.echo)).child;
  const graphqlTrivial = (await baseline('graphql', ports.graphql)).child;
  const stripe = createStripeClient({ baseUrl: emulatorUrl, timeoutMs: 10_000 });
  const customers: string[] = [];
  for (let index = 0; index < 100; index += 1) {
    const customer = await stripe.customers.create({ payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } }, { apiKey: STRIPE_KEY });
    customers.push(customer.id);
  }
  const directSdk = (await baseline('direct-sdk', ports.sdk, {
    STRIPE_API_BASE: emulatorUrl, STRIPE_KEY, CUSTOMERS: customers.join(','), PRICE: seeded.prices.oneTime, TAX_RATE: seeded.taxRates.exclusive,
  })).child;

  const ours = `http://127.0.0.1:${ports.service}`;
  const headers = { 'x-api-key': key['secret']!, 'x-api-key-type': 'write', 'x-client-id': app['id']! };
  const readHeaders = { 'x-api-key': readKey['secret']!, 'x-api-key-type': 'read', 'x-client-id': app['id']! };
  const input = { price: seeded.prices.oneTime, taxRate: seeded.taxRates.exclusive, mode: 'payment', quantity: 1, userId, test: true };
  const restCharge = { headers, body: () => JSON.stringify(input) };
  const restUrl = `${ours}/api/v1/tenants/${tenant['id']}/stripe-invoices`;
  const mutation = 'mutation($t: ID!, $i: CreateStripeInvoiceInput!, $k: String) { createStripeInvoice(tenantId: $t, input: $i, idempotencyKey: $k) { __typename ... on CreateStripeInvoiceSuccess { status } } }';

  const charge = { url: restUrl, server: service.child, options: { ...restCharge, connections: 10, uniqueKey: true } };
  const sdkCharge = { url: `http://127.0.0.1:${ports.sdk}/charge`, server: directSdk, options: { body: () => '{}', connections: 10 } };
  console.error('measuring at Stripe latency 0 …');
  const results: Record<string, Load> = await measure(
    {
      echo: { url: `http://127.0.0.1:${ports.echo}/echo`, server: echo, options: { body: () => '{"hello":"world"}', connections: 10 } },
      graphqlTrivial: {
        url: `http://127.0.0.1:${ports.graphql}/graphql`, server: graphqlTrivial, options: { body: () => '{"query":"mutation { echo(text: \\"hi\\") }"}', connections: 10 },
      },
      directSdk: sdkCharge,
      restCreate: charge,
      graphqlCreate: {
        url: `${ours}/graphql`, server: service.child,
        options: { headers, connections: 10, body: () => JSON.stringify({ query: mutation, variables: { t: tenant['id'], i: input, k: randomUUID() } }) },
      },
      // A key of the right shape and checksum that no app holds (as a revoked or rotated one is) costs a store
      // lookup; a mistyped one is turned away before it.
      rest401: { url: restUrl, server: service.child, options: { headers: { ...headers, 'x-api-key': generateApiKey() }, body: restCharge.body, connections: 10 } },
      rest401Malformed: { url: restUrl, server: service.child, options: { headers: { ...headers, 'x-api-key': 'tsinv_mistyped' }, body: restCharge.body, connections: 10 } },
      // The read side, on a tenant with INVOICES invoices: the newest page, and a page half-way down (keyset, no OFFSET).
      restList: { url: `${restUrl}?test=true&limit=10`, server: service.child, options: { method: 'GET', headers: readHeaders, body: () => '', connections: 10 } },
      restListDeep: {
        url: `${restUrl}?test=true&limit=10&startingAfter=${middle}`, server: service.child, options: { method: 'GET', headers: readHeaders, body: () => '', connections: 10 },
      },
    },
    ROUNDS,
  );

  console.error('measuring at Stripe latency 100 ms, 50 callers …');
  await emulator('config', { latency: { fixedMs: 100, jitterMs: 0 } });
  let peakRssMb = rssMb(service.child.pid!);
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(service.child.pid!))), 100);
  const slowStripe = { connections: 50, seconds: 2 * DURATION };
  Object.assign(
    results,
    await measure(
      {
        restCreateLatency100: { ...charge, options: { ...charge.options, ...slowStripe } },
        directSdkLatency100: { ...sdkCharge, options: { ...sdkCharge.options, ...slowStripe } },
      },
      Math.max(1, ROUNDS - 1),
    ),
  );
  clearInterval(sampler);
  await emulator('config', { latency: { fixedMs: 0, jitterMs: 0 } });

  // Sequential Stripe requests per invoice, counted in the emulator's request log.
  const requestCount = async () => ((await emulator('requests')) as unknown[]).length;
  // Requests still in flight from the last load run finish first: the count must see only the one invoice.
  for (let last = -1, now = await requestCount(); now !== last; last = now, now = await requestCount()) {
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const countRequests = async (send: () => Promise<unknown>) => {
    const before = await requestCount();
    await send();
    return (await requestCount()) - before;
  };
  const post = (url: string, body: unknown, extra: Record<string, string> = {}) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(body) }).then((response) => response.text());
  const subscription = { ...input, mode: 'subscription', price: seeded.prices.recurring };
  // The service caches prices and tax rates for a minute: one of each mode first, so the count is the steady state.
  for (const body of [input, subscription]) await post(restUrl, body, { ...headers, 'idempotency-key': randomUUID() });
  const stripeRequests = {
    payment: await countRequests(() => post(restUrl, input, { ...headers, 'idempotency-key': randomUUID() })),
    subscription: await countRequests(() => post(restUrl, subscription, { ...headers, 'idempotency-key': randomUUID() })),
    directSdk: await countRequests(() => post(`http://127.0.0.1:${ports.sdk}/charge`, {})),
  };
  report(results, { startMs: service.startMs, idleRssMb, peakRssMb, stripeRequests });
}

function report(results: Record<string, Load>, measured: { startMs: number; idleRssMb: number; peakRssMb: number; stripeRequests: Record<string, number> }): void {
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const row = (name: string, load: Load) =>
    [name, String(load.rps), `${load.p50}`, `${load.p99}`, String(load.non2xx), String(load.errors), String(load.serverCpuMs), String(load.emulatorCpuMs)];
  const loads = [
    ['bare fastify echo', results['echo']!],
    ['graphql-yoga trivial mutation', results['graphqlTrivial']!],
    ['direct SDK route (5 Stripe requests)', results['directSdk']!],
    ['REST create invoice (ours)', results['restCreate']!],
    ['GraphQL create invoice (ours)', results['graphqlCreate']!],
    ['REST 401 unknown key (ours)', results['rest401']!],
    ['REST 401 malformed key (ours)', results['rest401Malformed']!],
    [`REST list of 10, ${INVOICES} invoices (ours)`, results['restList']!],
    ['REST list of 10, half-way down (ours)', results['restListDeep']!],
    ['REST create, Stripe 100 ms, 50 callers', results['restCreateLatency100']!],
    ['direct SDK, Stripe 100 ms, 50 callers', results['directSdkLatency100']!],
  ] as const;
  const floor = 3 * 100;
  const targets = [
    ['REST create / direct SDK req/s', ratio(results['restCreate']!.rps, results['directSdk']!.rps), '≥ 1.0'],
    ['GraphQL create / direct SDK req/s', ratio(results['graphqlCreate']!.rps, results['directSdk']!.rps), '≥ 0.8'],
    ['REST 401 unknown key / bare echo req/s', ratio(results['rest401']!.rps, results['echo']!.rps), `≥ 0.7 (malformed key: ${ratio(results['rest401Malformed']!.rps, results['echo']!.rps)})`],
    ['REST list of 10 / bare echo req/s', ratio(results['restList']!.rps, results['echo']!.rps), `printed (half-way down: ${ratio(results['restListDeep']!.rps, results['echo']!.rps)})`],
    [`REST p99 at 100 ms / floor (${floor} ms)`, ratio(results['restCreateLatency100']!.p99, floor), `≤ 1.1 (direct SDK p99 ${results['directSdkLatency100']!.p99} ms, floor 500 ms)`],
    ['Stripe requests per invoice: payment / subscription / direct SDK', `${measured.stripeRequests['payment']} / ${measured.stripeRequests['subscription']} / ${measured.stripeRequests['directSdk']}`, '3 / 2 / 5'],
    ['idle RSS (MB)', Math.round(measured.idleRssMb), '≤ 120'],
    ['peak RSS under 50 callers (MB)', Math.round(measured.peakRssMb), 'printed'],
    ['process start to listening (ms)', Math.round(measured.startMs), '≤ 1500'],
  ] as const;
  const widths = [44, 8, 8, 8, 7, 7, 11, 11];
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join(' ');
  console.log(`\nmachine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; median of ${ROUNDS} runs of ${DURATION} s each (${2 * DURATION} s at 100 ms)`);
  console.log(`store: ${process.env['BENCH_DATABASE_URL'] ? 'PostgreSQL' : 'SQLite'}, pre-filled with ${PREFILL} finished charges and ${INVOICES} invoices of the listed tenant`);
  console.log(line(['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non2xx', 'errors', 'server CPU', 'Stripe CPU']));
  for (const [name, load] of loads) console.log(line(row(name, load)));
  console.log('(server CPU, Stripe CPU: ms of CPU per request used by the server under test and by the Stripe emulator)');
  console.log('');
  for (const [name, value, target] of targets) console.log(`${name.padEnd(62)} ${String(value).padEnd(12)} target ${target}`);
  const dir = path.join(ROOT, 'test/bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, results, measured }, null, 2));
  console.log(`\nraw numbers: ${path.relative(ROOT, file)}`);
}

// The servers and their data must not outlive the run, however it ends.
process.on('exit', () => {
  for (const child of processes) child.kill('SIGTERM');
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => process.exit());
