import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { generateApiKey } from '../../adapters/sql/api-key-format';
import { seedTestAccount } from '@tenant-stripe-invoices/stripe-emulator';
import { createStripeClient } from '../../adapters/stripe/stripe-client';
import { freePort } from '../e2e/processes';
import { measure, type Load, type Scenario } from './bench-load';
import { ROOT, rssMb, start, stopAll } from './bench-processes';
import { report, type GrowthStore } from './bench-report';
import { startBenchService, type BenchService } from './bench-stores';
import { rateLimitedBursts } from './stripe-rate-limits';

// `npm run bench`: the service against what a user would otherwise run, in one run on this machine. Every server
// (ours on each store, the baselines, the Stripe emulator) is its own process; autocannon drives the load from this
// one. Then a burst of charges for one rate-limited Stripe account, with and without the service's pacing.

const DURATION = Number(process.env['BENCH_SECONDS'] ?? 5);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const STRIPE_KEY = 'sk_test_benchAccount';
/** Finished charges in the pre-filled stores (BENCH_PREFILL; 0 leaves the growth rows out): is the cost flat as the store grows? */
const PREFILL = Number(process.env['BENCH_PREFILL'] ?? 1_000_000);
/** Invoices of the listed tenant in every store, for the read side's scenarios. */
const INVOICES = Number(process.env['BENCH_INVOICES'] ?? 100_000);
/** A PostgreSQL server for the PostgreSQL rows (each store is a database made for the run, then dropped). */
const POSTGRES_URL = process.env['BENCH_DATABASE_URL'];
/** Only these scenarios (BENCH_ONLY=restCreate,directSdk), to profile one path; the report is left out. */
const ONLY = process.env['BENCH_ONLY']?.split(',');
const PROFILE = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`] : [];
const SKIP_BURSTS = process.env['BENCH_RATE_LIMITS'] === 'off';

async function main(): Promise<void> {
  const emulatorPort = await freePort();
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  const emulatorProfile = process.env['BENCH_PROFILE_EMULATOR'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE_EMULATOR']}`] : [];
  const emulatorPid = (await start(path.join(ROOT, 'packages/stripe-emulator/dist/standalone.js'), ['--port', String(emulatorPort)], {}, `${emulatorUrl}/_emulator/health`, emulatorProfile)).child.pid!;
  const emulator = async (route: string, body?: unknown) =>
    (await fetch(`${emulatorUrl}/_emulator/${route}`, { method: body === undefined ? 'GET' : 'POST', body: JSON.stringify(body) })).json();
  const seeded = await seedTestAccount(createStripeClient({ baseUrl: emulatorUrl, timeoutMs: 10_000 }), STRIPE_KEY);
  const store = { emulatorUrl, stripeKey: STRIPE_KEY, customer: seeded.customers.pays, invoices: INVOICES };

  // The embedded SQLite store, empty but for the listed invoices: every scenario of the main table runs on it.
  const service = await startBenchService({ ...store, prefill: 0, nodeOptions: PROFILE });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const idleRssMb = rssMb(service.child.pid!);
  // The same service on stores that grew, and on PostgreSQL: the growth rows (only those BENCH_ONLY picks).
  const growth: Partial<Record<GrowthStore, BenchService>> = {};
  const wanted = (name: GrowthStore) => ONLY === undefined || ONLY.some((scenario) => scenario.startsWith(`${name}.`));
  if (PREFILL > 0 && wanted('sqliteFilled')) growth.sqliteFilled = await startBenchService({ ...store, prefill: PREFILL });
  if (POSTGRES_URL && wanted('postgres')) growth.postgres = await startBenchService({ ...store, prefill: 0, postgresUrl: POSTGRES_URL });
  if (POSTGRES_URL && PREFILL > 0 && wanted('postgresFilled')) growth.postgresFilled = await startBenchService({ ...store, prefill: PREFILL, postgresUrl: POSTGRES_URL });

  const ports = { echo: await freePort(), graphql: await freePort(), sdk: await freePort() };
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

  const input = (on: BenchService) => ({ price: seeded.prices.oneTime, taxRate: seeded.taxRates.exclusive, mode: 'payment', quantity: 1, userId: on.userId, test: true });
  const charge = (on: BenchService): Scenario => ({
    url: on.restUrl, server: on.child, options: { headers: on.headers, body: () => JSON.stringify(input(on)), connections: 10, uniqueKey: true },
  });
  // The read side, on a tenant with INVOICES invoices: the newest page, and a page half-way down (keyset, no OFFSET).
  const list = (on: BenchService, deep: boolean): Scenario => ({
    url: `${on.restUrl}?test=true&limit=10${deep ? `&startingAfter=${on.middle}` : ''}`,
    server: on.child,
    options: { method: 'GET', headers: on.readHeaders, body: () => '', connections: 10 },
  });
  const mutation = 'mutation($t: ID!, $i: CreateStripeInvoiceInput!, $k: String) { createStripeInvoice(tenantId: $t, input: $i, idempotencyKey: $k) { __typename ... on CreateStripeInvoiceSuccess { status } } }';
  const sdkCharge: Scenario = { url: `http://127.0.0.1:${ports.sdk}/charge`, server: directSdk, options: { body: () => '{}', connections: 10 } };
  // Each scenario on the other stores runs right after the same scenario on the main one.
  const onEveryStore = (name: string, scenario: (on: BenchService) => Scenario) => ({
    [name]: scenario(service),
    ...Object.fromEntries(Object.entries(growth).map(([store, on]) => [`${store}.${name}`, scenario(on)])),
  });

  // At 100 ms first, while the emulator holds few objects: its garbage collection adds to the tail it measures.
  console.error('measuring at Stripe latency 100 ms, 50 callers …');
  const how = { seconds: DURATION, emulatorPid, only: ONLY };
  await emulator('config', { latency: { fixedMs: 100, jitterMs: 0 } });
  let peakRssMb = rssMb(service.child.pid!);
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, rssMb(service.child.pid!))), 100);
  const slowStripe = { connections: 50, seconds: 2 * DURATION };
  const results: Record<string, Load> = await measure(
    {
      restCreateLatency100: { ...charge(service), options: { ...charge(service).options, ...slowStripe } },
      directSdkLatency100: { ...sdkCharge, options: { ...sdkCharge.options, ...slowStripe } },
    },
    ROUNDS,
    how,
  );
  clearInterval(sampler);
  await emulator('config', { latency: { fixedMs: 0, jitterMs: 0 } });

  console.error('measuring at Stripe latency 0 …');
  const atLatencyZero = await measure(
    {
      echo: { url: `http://127.0.0.1:${ports.echo}/echo`, server: echo, options: { body: () => '{"hello":"world"}', connections: 10 } },
      graphqlTrivial: {
        url: `http://127.0.0.1:${ports.graphql}/graphql`, server: graphqlTrivial, options: { body: () => '{"query":"mutation { echo(text: \\"hi\\") }"}', connections: 10 },
      },
      directSdk: sdkCharge,
      ...onEveryStore('restCreate', charge),
      graphqlCreate: {
        url: `${service.url}/graphql`, server: service.child,
        options: { headers: service.headers, connections: 10, body: () => JSON.stringify({ query: mutation, variables: { t: service.tenantId, i: input(service), k: randomUUID() } }) },
      },
      // A key of the right shape and checksum that no app holds (as a revoked or rotated one is) costs a store
      // lookup; a mistyped one is turned away before it.
      rest401: { ...charge(service), options: { ...charge(service).options, headers: { ...service.headers, 'x-api-key': generateApiKey() }, uniqueKey: false } },
      rest401Malformed: { ...charge(service), options: { ...charge(service).options, headers: { ...service.headers, 'x-api-key': 'tsinv_mistyped' }, uniqueKey: false } },
      ...onEveryStore('restList', (on) => list(on, false)),
      ...onEveryStore('restListDeep', (on) => list(on, true)),
    },
    ROUNDS,
    how,
  );
  Object.assign(results, atLatencyZero);

  // Sequential Stripe requests per invoice, counted by the emulator's request log's sequence numbers (the log itself
  // keeps only the latest entries).
  const requestCount = async () => ((await emulator('requests')) as Array<{ seq: number }>).at(-1)?.seq ?? 0;
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
  const oneOff = input(service);
  const subscription = { ...oneOff, mode: 'subscription', price: seeded.prices.recurring };
  const key = () => ({ ...service.headers, 'idempotency-key': randomUUID() });
  // The service caches prices and tax rates for a minute: one of each mode first, so the count is the steady state.
  for (const body of [oneOff, subscription]) await post(service.restUrl, body, key());
  const stripeRequests = {
    payment: await countRequests(() => post(service.restUrl, oneOff, key())),
    subscription: await countRequests(() => post(service.restUrl, subscription, key())),
    directSdk: await countRequests(() => post(`http://127.0.0.1:${ports.sdk}/charge`, {})),
  };
  // The servers above stop first: the bursts run on their own emulator and service, with the machine to themselves.
  await stopAll();
  let bursts;
  if (!SKIP_BURSTS && ONLY === undefined) {
    console.error('a burst of charges for one rate-limited Stripe account, without and with pacing …');
    bursts = await rateLimitedBursts();
  }
  if (ONLY !== undefined) {
    console.log(results);
    return;
  }
  report(results, {
    seconds: DURATION, rounds: ROUNDS, profiled: PROFILE.length > 0, prefill: PREFILL, invoices: INVOICES, postgres: POSTGRES_URL !== undefined,
    startMs: service.startMs, idleRssMb, peakRssMb, stripeRequests, bursts,
    bytesPerCharge: Object.fromEntries(Object.entries(growth).map(([name, on]) => [name, on.bytesPerCharge])),
  });
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => stopAll().finally(() => process.exit()));
