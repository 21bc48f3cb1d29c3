import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import path from 'node:path';
import type { Load } from './bench-load';
import { ROOT } from './bench-processes';
import type { BurstRun } from './stripe-rate-limits';

/** The stores beside the main one (embedded SQLite, empty): grown to BENCH_PREFILL charges, and on PostgreSQL. */
export type GrowthStore = 'sqliteFilled' | 'postgres' | 'postgresFilled';

export interface Measured {
  seconds: number;
  rounds: number;
  /** The main service ran under the CPU profiler (BENCH_PROFILE). */
  profiled: boolean;
  prefill: number;
  invoices: number;
  postgres: boolean;
  startMs: number;
  idleRssMb: number;
  peakRssMb: number;
  stripeRequests: Record<string, number>;
  bytesPerCharge: Partial<Record<GrowthStore, number>>;
  bursts?: { burst: number; stripeLimit: number; pace: number; unpaced: BurstRun; paced: BurstRun } | undefined;
}

const ratio = (a: number, b: number) => (a / b).toFixed(2);

export function report(results: Record<string, Load>, measured: Measured): void {
  const print = (cells: string[], widths: number[]) => console.log(cells.map((cell, index) => cell.padEnd(widths[index] ?? 12)).join(' '));
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; ` +
      `median of ${measured.rounds} runs of ${measured.seconds} s each (${2 * measured.seconds} s at 100 ms)` +
      (measured.profiled ? '; the main service ran under --cpu-prof, so its numbers are not comparable' : ''),
  );
  console.log(`main table: embedded SQLite, ${measured.invoices} invoices of the listed tenant; 10 callers unless noted`);
  const widths = [44, 8, 8, 8, 7, 7, 11, 11];
  print(['scenario', 'req/s', 'p50 ms', 'p99 ms', 'non2xx', 'errors', 'server CPU', 'Stripe CPU'], widths);
  const rows: Array<[string, string]> = [
    ['bare fastify echo', 'echo'],
    ['graphql-yoga trivial mutation', 'graphqlTrivial'],
    ['direct SDK route (5 Stripe requests)', 'directSdk'],
    ['REST create invoice (ours)', 'restCreate'],
    ['GraphQL create invoice (ours)', 'graphqlCreate'],
    ['REST 401 unknown key (ours)', 'rest401'],
    ['REST 401 malformed key (ours)', 'rest401Malformed'],
    ['REST list of 10, newest (ours)', 'restList'],
    ['REST list of 10, half-way down (ours)', 'restListDeep'],
    ['REST create, Stripe 100 ms, 50 callers', 'restCreateLatency100'],
    ['direct SDK, Stripe 100 ms, 50 callers', 'directSdkLatency100'],
  ];
  for (const [name, key] of rows) {
    const load = results[key]!;
    print([name, String(load.rps), `${load.p50}`, `${load.p99}`, String(load.non2xx), String(load.errors), String(load.serverCpuMs), String(load.emulatorCpuMs)], widths);
  }
  console.log('(server CPU, Stripe CPU: ms of CPU per request used by the server under test and by the Stripe emulator)');

  const stores: Array<[string, string, GrowthStore | undefined]> = [['SQLite, empty', '', undefined]];
  if (measured.prefill > 0) stores.push([`SQLite, ${measured.prefill} charges`, 'sqliteFilled.', 'sqliteFilled']);
  if (measured.postgres) {
    stores.push(['PostgreSQL, empty', 'postgres.', 'postgres']);
    if (measured.prefill > 0) stores.push([`PostgreSQL, ${measured.prefill} charges`, 'postgresFilled.', 'postgresFilled']);
  }
  const cell = (load: Load | undefined) => (load ? `${load.rps} / ${load.p99} / ${load.serverCpuMs}` : '–');
  console.log('\nas the store grows (cells: req/s / p99 ms / server CPU ms per request; same rounds as the main table)');
  const growthWidths = [30, ...stores.map(() => 24)];
  print(['scenario', ...stores.map(([label]) => label)], growthWidths);
  for (const [name, key] of [['REST create', 'restCreate'], ['REST list of 10, newest', 'restList'], ['REST list of 10, half-way down', 'restListDeep']] as const) {
    print([name, ...stores.map(([, prefix]) => cell(results[`${prefix}${key}`]))], growthWidths);
  }
  const bytes = stores.flatMap(([label, , store]) => (store && measured.bytesPerCharge[store] ? [`${label}: ${measured.bytesPerCharge[store]} B`] : []));
  if (bytes.length > 0) console.log(`bytes stored per pre-filled charge (idempotency answer, ledger row, invoice, Stripe event, indexes): ${bytes.join('; ')}`);
  if (!measured.postgres) console.log('PostgreSQL rows left out: set BENCH_DATABASE_URL to a PostgreSQL server to add them.');

  const targets: Array<[string, number | string, string, boolean | undefined]> = [];
  const target = (name: string, value: number | string, goal: string, met?: boolean) => targets.push([name, value, goal, met]);
  const rest = results['restCreate']!;
  const direct = results['directSdk']!;
  target('server CPU per REST charge, ms', rest.serverCpuMs, `≤ 1.5 (direct SDK route: ${direct.serverCpuMs})`, rest.serverCpuMs <= 1.5);
  target('REST create / direct SDK req/s', ratio(rest.rps, direct.rps), '≥ 1.0', rest.rps >= direct.rps);
  target('GraphQL create / direct SDK req/s', ratio(results['graphqlCreate']!.rps, direct.rps), '≥ 0.9', results['graphqlCreate']!.rps >= 0.9 * direct.rps);
  const floor = 3 * 100;
  const slow = results['restCreateLatency100']!;
  target(`REST p99 at 100 ms, 50 callers / floor (${floor} ms)`, ratio(slow.p99, floor), `≤ 1.25 (direct SDK: ${ratio(results['directSdkLatency100']!.p99, 500)} of its 500 ms)`, slow.p99 <= 1.25 * floor);
  for (const [filled, empty, label] of [['sqliteFilled.', '', 'SQLite'], ['postgresFilled.', 'postgres.', 'PostgreSQL']] as const) {
    const grown = results[`${filled}restCreate`];
    const base = results[`${empty}restCreate`];
    if (!grown || !base) continue;
    target(`${label} grown / empty: CPU per charge`, ratio(grown.serverCpuMs, base.serverCpuMs), '≤ 1.10', grown.serverCpuMs <= 1.1 * base.serverCpuMs);
    target(`${label} grown / empty: charge p99`, ratio(grown.p99, base.p99), '≤ 1.10', grown.p99 <= 1.1 * base.p99);
    for (const list of ['restList', 'restListDeep'] as const) {
      const grownList = results[`${filled}${list}`]!;
      const baseList = results[`${empty}${list}`]!;
      const page = list === 'restList' ? 'newest page' : 'half-way page';
      target(`${label} grown / empty: list req/s, ${page}`, ratio(grownList.rps, baseList.rps), '≥ 0.90', grownList.rps >= 0.9 * baseList.rps);
    }
  }
  if (measured.bursts) {
    const { paced, unpaced } = measured.bursts;
    const notCreated = (run: BurstRun) => run.answers.split(' ').filter((answer) => !answer.endsWith('×201')).join(' ') || 'none';
    target('rate-limited burst, paced: answers other than 201', notCreated(paced), `none (unpaced: ${notCreated(unpaced)})`, notCreated(paced) === 'none');
    target('rate-limited burst, paced: Stripe 429s', paced.stripe429s, `printed (unpaced: ${unpaced.stripe429s})`);
  }
  target('REST 401 unknown key / bare echo req/s', ratio(results['rest401']!.rps, results['echo']!.rps), `≥ 0.7 (malformed key: ${ratio(results['rest401Malformed']!.rps, results['echo']!.rps)})`, results['rest401']!.rps >= 0.7 * results['echo']!.rps);
  const { payment, subscription, directSdk } = measured.stripeRequests;
  target('Stripe requests per invoice: payment / subscription / direct SDK', `${payment} / ${subscription} / ${directSdk}`, '3 / 2 / 5', payment === 3 && subscription === 2 && directSdk === 5);
  target('idle RSS (MB)', Math.round(measured.idleRssMb), '≤ 120', measured.idleRssMb <= 120);
  target('peak RSS under 50 callers (MB)', Math.round(measured.peakRssMb), 'printed');
  target('process start to listening (ms)', Math.round(measured.startMs), '≤ 1500', measured.startMs <= 1500);
  console.log('');
  const targetWidths = [64, 14, 50, 5];
  print(['target', 'measured', 'goal', 'met'], targetWidths);
  for (const [name, value, goal, met] of targets) print([name, String(value), goal, met === undefined ? '' : met ? 'yes' : 'no'], targetWidths);

  if (measured.bursts) {
    const { burst, stripeLimit, pace, unpaced, paced } = measured.bursts;
    console.log(`\na burst of ${burst} charges for one account; Stripe (emulated) allows ${stripeLimit} requests a second; pacing at ${pace} a second`);
    const burstWidths = [10, 12, 8, 8, 24, 12, 16];
    print(['', 'completion s', 'p50 ms', 'p99 ms', "callers' answers", 'Stripe 429s', 'Stripe requests'], burstWidths);
    for (const run of [unpaced, paced]) print([run.label, run.seconds, String(run.p50), String(run.p99), run.answers, String(run.stripe429s), String(run.stripeRequests)], burstWidths);
  }

  const dir = path.join(ROOT, 'test/bench/results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: cpus().length, results, measured }, null, 2));
  console.log(`\nraw numbers: ${path.relative(ROOT, file)}`);
}
