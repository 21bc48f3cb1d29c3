import type { FaultKind } from '@tenant-stripe-invoices/stripe-emulator';
import { startLiveService, type LiveCharge } from '../support/live-service';

// `npm run test:chaos`: every Stripe step of both charge paths × every fault kind, each injected often enough to
// exhaust the adapter's retries on the first request; the caller then retries with the same key as the contract
// allows. Prints one row per trial and the totals; fails on any duplicate or lost charge.

const STEPS = [
  ['invoice.create', 'payment'],
  ['invoice.add_lines', 'payment'],
  ['invoice.pay', 'payment'],
  ['subscription.create', 'subscription'],
  ['payment_intent.retrieve', 'subscription'],
] as const;
const KINDS: FaultKind[] = ['drop_after', 'rate_limit', 'server_error', 'unavailable', 'reset_before', 'timeout'];
// 3 attempts per request (2 retries); the SDK also retries a closed connection once on its own.
const COUNT: Record<FaultKind, number> = { drop_after: 6, reset_before: 6, rate_limit: 3, server_error: 3, unavailable: 3, timeout: 3 };

interface Trial {
  step: string;
  fault: FaultKind;
  injected: number;
  answers: string;
  invoices: number;
  charges: number;
  duplicates: number;
  lost: number;
}

async function untilFinal(send: () => Promise<LiveCharge>): Promise<LiveCharge[]> {
  const answers: LiveCharge[] = [];
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const answer = await send();
    answers.push(answer);
    if (![409, 502, 503].includes(answer.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return answers;
}

const trials: Trial[] = [];

afterAll(() => {
  const columns = ['step', 'fault', 'injected', 'answers', 'invoices', 'charges', 'duplicates', 'lost'] as const;
  const rows = trials.map((trial) => columns.map((column) => String(trial[column])));
  const widths = columns.map((column, index) => Math.max(column.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ');
  const sum = (column: 'injected' | 'invoices' | 'charges' | 'duplicates' | 'lost') => trials.reduce((total, trial) => total + trial[column], 0);
  console.info(
    [
      line([...columns]),
      ...rows.map(line),
      '',
      `trials ${trials.length} · faults injected ${sum('injected')} · invoices ${sum('invoices')} · charges ${sum('charges')} · duplicates ${sum('duplicates')} · lost ${sum('lost')}`,
    ].join('\n'),
  );
});

describe('fault matrix: every Stripe step × every fault, then the caller retries', () => {
  it.each(STEPS.flatMap(([step, mode]) => KINDS.map((fault) => [step, fault, mode] as const)))('%s × %s', async (step, fault, mode) => {
    const live = await startLiveService();
    try {
      live.fault({ operation: step, kind: fault, count: COUNT[fault], ...(fault === 'timeout' ? { delayMs: 2_000 } : {}) });
      const answers = await untilFinal(() => live.charge('pays', { key: `chaos-${step}-${fault}`, mode }));
      live.emulator.core.faults.clear();
      // A request whose retries were exhausted leaves the decision to the caller's retry; wait out any held work.
      await new Promise((resolve) => setTimeout(resolve, fault === 'timeout' ? 2_100 : 0));
      const final = answers.at(-1)!;
      const { invoices, charges } = live.stats();
      const trial: Trial = {
        step,
        fault,
        injected: live.emulator.core.requests.filter((entry) => entry.fault !== null).length,
        answers: answers.map((answer) => answer.status).join('→'),
        invoices,
        charges,
        duplicates: Math.max(0, invoices - 1) + Math.max(0, charges - 1),
        lost: (final.status === 201) === (charges === 1) ? 0 : 1,
      };
      trials.push(trial);
      expect(final.status).toBe(201);
      expect(final.json['data'].paymentIntents.status).toBe('succeeded');
      expect(trial.injected).toBeGreaterThan(0);
      expect(answers.some((answer) => answer.status >= 500 && ![502, 503].includes(answer.status))).toBe(false);
      expect([trial.duplicates, trial.lost, invoices, charges]).toEqual([0, 0, 1, 1]);
    } finally {
      await live.close();
    }
  }, 60_000);
});
