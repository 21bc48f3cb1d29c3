import { ChargeAborted, UpstreamUnavailable } from '../../application/errors';
import { expectRejection } from '../support/expect-error';
import { TENANTS, body, buildWorld } from '../support/world';

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
      expect(await world.useCases.reconcile.run()).toEqual({ operations: [], attempts: [] });
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
      expect(JSON.stringify(await world.createInvoice.execute(request))).toBe(JSON.stringify(result));
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
