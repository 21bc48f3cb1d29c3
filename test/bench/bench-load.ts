import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { cpuMs } from './bench-processes';

export interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** CPU ms per request spent by the server under test and by the Stripe emulator. */
  serverCpuMs: number;
  emulatorCpuMs: number;
}

export interface LoadOptions {
  body: () => string;
  headers?: Record<string, string>;
  connections: number;
  seconds?: number;
  uniqueKey?: boolean;
  warmUp?: boolean;
  method?: 'GET';
}

export interface Scenario {
  url: string;
  server: ChildProcessWithoutNullStreams;
  options: LoadOptions;
}

export interface Measuring {
  seconds: number;
  emulatorPid: number;
  /** Only these scenarios run (BENCH_ONLY), to profile one path. */
  only?: string[] | undefined;
}

/**
 * Every scenario once per round, in turn; each scenario's median run (by req/s) stands for it. The machine's speed
 * drifts from minute to minute, so scenarios measured side by side, round after round, give ratios that hold. Every
 * other round runs them in reverse order, so that neither of two neighbours always goes first.
 */
export async function measure(scenarios: Record<string, Scenario>, rounds: number, how: Measuring): Promise<Record<string, Load>> {
  const runs: Record<string, Load[]> = {};
  const chosen = Object.entries(scenarios).filter(([name]) => how.only === undefined || how.only.includes(name));
  for (let round = 0; round < rounds && chosen.length > 0; round += 1) {
    console.error(`  round ${round + 1} of ${rounds}`);
    const order = round % 2 === 0 ? chosen : [...chosen].reverse();
    for (const [name, { url, server, options }] of order) {
      (runs[name] ??= []).push(await load(url, server, { ...options, warmUp: round === 0 }, how));
    }
  }
  return Object.fromEntries(Object.entries(runs).map(([name, loads]) => [name, median(loads)]));
}

function median(loads: Load[]): Load {
  const sorted = [...loads].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

async function load(url: string, server: ChildProcessWithoutNullStreams, options: LoadOptions, how: Measuring): Promise<Load> {
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
  const cpuBefore = { server: cpuMs(server.pid!), emulator: cpuMs(how.emulatorPid) };
  const result = await run(options.seconds ?? how.seconds);
  const per = (spent: number) => Math.round((spent / result.requests.total) * 100) / 100;
  return {
    serverCpuMs: per(cpuMs(server.pid!) - cpuBefore.server),
    emulatorCpuMs: per(cpuMs(how.emulatorPid) - cpuBefore.emulator),
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
