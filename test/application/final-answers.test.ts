import { replayOf } from '../support/replay';
import { MAX_ATTEMPTS } from '../../application/admin/finish-abandoned';
import { ChargeAborted, UpstreamUnavailable } from '../../application/errors';
import { parseApiKeyId } from '../../domain/ids';
import { expectRejection } from '../support/expect-error';
import { APP, OTHER_APP, TENANTS, body, buildWorld } from '../support/world';
import { NOTHING_DONE, doneBy } from '../support/reconcile-report';

// Every operation ends in a final answer: what no retry can fix is not left resumable forever.

describe('a request Stripe refuses for good', () => {
  it.each(['invoice.create', 'invoice.add_lines', 'invoice.pay'] as const)(
    'at %s ends the operation with a final, stored answer and leaves nothing open at Stripe',
    async (step) => {
      const world = buildWorld();
      world.billing.refuseStep(step);
      const request = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: `refused-${step}` };
      const error = await expectRejection(world.createInvoice.execute(request), ChargeAborted, 'stripe_refused');
      expect(error.code).toBe('INTERNAL');
      expect(error.detail).toContain(step);
      const record = [...world.idempotencyRecords.records.values()][0]!;
      expect(record.outcome).not.toBeNull();
      expect(world.chargeLedger.rows.map((row) => row.outcome)).toEqual(['aborted']);
      expect([...world.billing.invoices.values()].filter((invoice) => invoice.status === 'draft' || invoice.status === 'open')).toEqual([]);
      expect(world.billing.paymentIntents.size).toBe(0);

      const sent = world.billing.requests.length;
      const replay = await expectRejection(world.createInvoice.execute(request), ChargeAborted, 'stripe_refused');
      expect(replay.message).toBe(error.message);
      expect(world.billing.requests).toHaveLength(sent);
      world.clock.advance(10 * 60_000);
      expect(doneBy(await world.useCases.reconcile.run())).toEqual(NOTHING_DONE);
    },
  );

  it('never reports a charge that Stripe made as failed', async () => {
    const world = buildWorld();
    world.billing.refuseStep('invoice.pay', { afterWork: true });
    const result = await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'paid-then-refused' });
    expect(result.status).toBe('succeeded');
    expect(world.billing.paymentIntents.size).toBe(1);
    expect(world.chargeLedger.rows.map((row) => row.outcome)).toEqual(['succeeded']);
  });

  it('ends a subscription refused for good the same way', async () => {
    const world = buildWorld();
    world.billing.refuseStep('subscription.create');
    const request = { caller: world.writer, tenantId: TENANTS.pays, input: body({ mode: 'subscription', price: 'price_monthly' }), idempotencyKey: 'sub-refused' };
    await expectRejection(world.createInvoice.execute(request), ChargeAborted, 'stripe_refused');
    await expectRejection(world.createInvoice.execute(request), ChargeAborted, 'stripe_refused');
    expect(world.billing.subscriptions.size).toBe(0);
  });
});

describe('a Stripe object the operation created, gone', () => {
  it.each(['invoice.add_lines', 'invoice.pay'] as const)(
    'a draft deleted after an outage at %s: the retry starts over under new Stripe keys and charges once',
    async (step) => {
      const world = buildWorld();
      world.billing.failStep(step);
      const request = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: `vanished-${step}` };
      await expect(world.createInvoice.execute(request)).rejects.toBeInstanceOf(UpstreamUnavailable);
      const [draft] = [...world.billing.invoices.keys()];
      world.billing.invoices.delete(draft!); // a person deleted the draft in the dashboard

      const result = await world.createInvoice.execute(request);
      expect(result.status).toBe('succeeded');
      expect(result.invoice.id).not.toBe(draft);
      expect(world.billing.paymentIntents.size).toBe(1);
      const creates = world.billing.requests.filter((call) => call.step === 'invoice.create').map((call) => call.idempotencyKey);
      expect(new Set(creates).size).toBe(2);
      expect([...world.idempotencyRecords.records.values()][0]!.progress.restarts).toBe(1);
      expect(JSON.stringify(await world.createInvoice.execute(request))).toBe(JSON.stringify(replayOf(result)));
    },
  );

  it.each([
    ['a paid invoice', body()],
    ['a subscription', body({ mode: 'subscription', price: 'price_monthly' })],
  ])('%s the operation reached but Stripe no longer has ends the operation with a final answer', async (_what, input) => {
    const world = buildWorld();
    const request = { caller: world.writer, tenantId: TENANTS.pays, input, idempotencyKey: `gone-${String(input['mode'])}` };
    // The charge went through, but its answer was never stored (the ledger was unreachable): the key stays resumable.
    const settle = world.chargeLedger.settle.bind(world.chargeLedger);
    world.chargeLedger.settle = async () => {
      world.chargeLedger.settle = settle;
      throw new Error('ledger unreachable');
    };
    await expect(world.createInvoice.execute(request)).rejects.toThrow('ledger unreachable');
    const record = [...world.idempotencyRecords.records.values()][0]!;
    expect(['paid', 'subscription_created']).toContain(record.progress.point);
    world.billing.invoices.clear(); // the app's Stripe key now points at another account, say
    world.billing.subscriptions.clear();

    await expectRejection(world.createInvoice.execute(request), ChargeAborted, 'object_gone');
    await expectRejection(world.createInvoice.execute(request), ChargeAborted, 'object_gone');
    expect(world.chargeLedger.rows.map((row) => row.outcome)).toEqual(['unknown', 'aborted']);
  });
});

describe('reconciliation that cannot finish everything', () => {
  it('is fair across apps, gives up what no attempt fixes after a bounded number, and then has nothing left', async () => {
    const world = buildWorld();
    const create = world.billing.createDraftInvoice.bind(world.billing);
    // A bug that hits every charge of one app, whatever is retried.
    world.billing.createDraftInvoice = async (operation, invoice) => {
      if (operation.account.appId === APP) throw new TypeError('a bug in this app’s charges');
      return create(operation, invoice);
    };
    for (let n = 0; n < 100; n += 1) {
      const poisoned = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: `poisoned-${n}` };
      await expect(world.createInvoice.execute(poisoned)).rejects.toThrow(TypeError);
    }
    world.clock.advance(1_000);
    const otherApp = { appId: OTHER_APP, keyId: parseApiKeyId('c0000000-0000-4000-8000-000000000009'), keyType: 'write' as const };
    world.billing.failStep('invoice.pay', 50);
    for (let n = 0; n < 50; n += 1) {
      const crashed = { caller: otherApp, tenantId: TENANTS.otherApps, input: body(), idempotencyKey: `crashed-${n}` };
      await expect(world.createInvoice.execute(crashed)).rejects.toBeInstanceOf(UpstreamUnavailable);
    }
    world.clock.advance(10 * 60_000);

    const first = await world.useCases.reconcile.run(100);
    const finishedOf = (report: typeof first, appId: string) => report.operations.filter((entry) => entry.appId === appId && entry.result === 'completed');
    expect(finishedOf(first, OTHER_APP)).toHaveLength(50);

    const results: string[] = [];
    for (let run = 0; run < 10; run += 1) {
      const report = await world.useCases.reconcile.run(100);
      if (report.operations.length === 0) break;
      results.push(...report.operations.map((entry) => entry.result));
    }
    expect(results.filter((result) => result === 'gave_up')).toHaveLength(100);
    expect((await world.useCases.reconcile.run(100)).operations).toEqual([]);
    const replay = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'poisoned-7' };
    await expectRejection(world.createInvoice.execute(replay), ChargeAborted, 'reconcile_gave_up');
    const attempts = world.chargeLedger.rows.filter((row) => row.idempotencyKey === 'poisoned-7');
    expect(attempts).toHaveLength(MAX_ATTEMPTS);
    expect(attempts.at(-1)!.outcome).toBe('aborted');
    expect(attempts.every((row) => ['unknown', 'superseded', 'aborted'].includes(row.outcome))).toBe(true);
  });
});
