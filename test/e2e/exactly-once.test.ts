import fc from 'fast-check';
import type { FaultKind } from '@tenant-stripe-invoices/stripe-emulator';
import { startLiveService, type LiveCharge, type LiveService } from '../support/live-service';

/** A caller that retries what the contract says is safe to retry (409, 502, 503) with the same key. */
async function untilFinal(send: () => Promise<LiveCharge>, attempts = 12): Promise<LiveCharge[]> {
  const answers: LiveCharge[] = [];
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const answer = await send();
    answers.push(answer);
    if (![409, 502, 503].includes(answer.status)) break;
    await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
  }
  return answers;
}

describe('exactly once, on one process (real HTTP, real store, real Stripe adapter, emulated Stripe)', () => {
  let live: LiveService;
  beforeAll(async () => {
    live = await startLiveService();
  }, 30_000);
  afterAll(() => live.close());

  it('charges once for 100 concurrent identical requests: every answer 201 or 409, every 201 identical', async () => {
    live.emulator.core.settings.latency = { fixedMs: 30, jitterMs: 10 };
    const before = live.stats();
    const answers = await Promise.all(Array.from({ length: 100 }, () => live.charge('pays', { key: 'hundred-at-once' })));
    live.emulator.core.settings.latency = { fixedMs: 0, jitterMs: 0 };

    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status !== 201 && status !== 409)).toEqual([]);
    const created = answers.filter((answer) => answer.status === 201);
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created.map((answer) => answer.body)).size).toBe(1);
    for (const answer of answers.filter((candidate) => candidate.status === 409)) expect(answer.json['code']).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(live.stats().invoices - before.invoices).toBe(1);
    expect(live.stats().charges - before.charges).toBe(1);
    console.info(`100 concurrent requests, one key: ${created.length} × 201 (identical), ${statuses.length - created.length} × 409; 1 invoice, 1 charge`);
  }, 30_000);

  it('refuses the same key with another body (422) and creates nothing', async () => {
    const first = await live.charge('pays', { key: 'same-key-other-body', quantity: 1 });
    expect(first.status).toBe(201);
    const before = live.stats();
    const other = await live.charge('pays', { key: 'same-key-other-body', quantity: 3 });
    expect([other.status, other.json['code']]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(live.stats()).toEqual(before);
  });
});

const STEPS = ['invoice.create', 'invoice.add_lines', 'invoice.pay', 'subscription.create', 'payment_intent.retrieve'] as const;
const KINDS: FaultKind[] = ['rate_limit', 'server_error', 'unavailable', 'reset_before', 'drop_after'];

describe('exactly once under random requests and faults (property-based)', () => {
  const seed = Number(process.env['FC_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
  beforeAll(() => console.info(`fast-check seed ${seed} (set FC_SEED=${seed} to replay)`));

  const request = fc.record({
    key: fc.integer({ min: 0, max: 3 }),
    tenant: fc.constantFrom('pays' as const, 'declines' as const, 'requiresAction' as const),
    mode: fc.constantFrom('payment' as const, 'subscription' as const),
    faults: fc.array(fc.record({ operation: fc.constantFrom(...STEPS), kind: fc.constantFrom(...KINDS), count: fc.integer({ min: 1, max: 4 }) }), { maxLength: 2 }),
  });

  it('keeps: charges ≤ distinct keys, one final answer per key, and the ledger agrees with Stripe', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 8 }), async (requests) => {
        const live = await startLiveService();
        try {
          const finals = new Map<number, string>();
          for (const step of requests) {
            for (const fault of step.faults) live.fault(fault);
            // The key's first request decides its body: a later one with the same key repeats it exactly.
            const first = requests.find((candidate) => candidate.key === step.key)!;
            const answers = await untilFinal(() => live.charge(first.tenant, { key: `key-${step.key}`, mode: first.mode }));
            const final = answers.at(-1)!;
            expect(final.status).not.toBe(500);
            if (![409, 502, 503].includes(final.status)) {
              const earlier = finals.get(step.key);
              if (earlier !== undefined) expect(final.body).toBe(earlier);
              finals.set(step.key, final.body);
            }
            live.emulator.core.faults.clear();
          }
          const distinctKeys = new Set(requests.map((step) => step.key)).size;
          expect(live.stats().charges).toBeLessThanOrEqual(distinctKeys);
          const charged = new Set((await live.ledger()).filter((row) => row.outcome === 'succeeded').map((row) => row.operationId));
          expect(charged.size).toBe(live.stats().charges);
        } finally {
          await live.close();
        }
      }),
      { seed, numRuns: 12 },
    );
  }, 180_000);
});
