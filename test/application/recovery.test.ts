import { replayOf } from '../support/replay';
import { UpstreamUnavailable } from '../../application/errors';
import { Forbidden, IdempotencyInProgress } from '../../domain/errors';
import { parseIdempotencyKey } from '../../domain/ids';
import { expectRejection } from '../support/expect-error';
import { APP, PRICES, TENANTS, USER, body, buildWorld } from '../support/world';
import { NOTHING_DONE, doneBy } from '../support/reconcile-report';

const LEASE = 120_000;

describe('recovery points and leases', () => {
  it.each(['invoice.create', 'invoice.add_lines', 'invoice.pay'] as const)(
    'a charge that failed at %s resumes from its last recovery point: one invoice, one charge',
    async (step) => {
      const world = buildWorld();
      world.billing.failStep(step);
      const request = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: `resume-${step}` };
      await expect(world.createInvoice.execute(request)).rejects.toBeInstanceOf(UpstreamUnavailable);
      const record = [...world.idempotencyRecords.records.values()][0]!;
      const expectedPoint = { 'invoice.create': 'started', 'invoice.add_lines': 'invoice_created', 'invoice.pay': 'lines_added' }[step];
      expect(record.progress.point).toBe(expectedPoint);

      const result = await world.createInvoice.execute(request);
      expect(result.status).toBe('succeeded');
      expect(world.billing.invoices.size).toBe(1);
      expect(world.billing.paymentIntents.size).toBe(1);
      // Each step was sent once more at most, and only from where the failed attempt stopped.
      const steps = world.billing.requests.map((call) => call.step);
      expect(steps.filter((sent) => sent === 'invoice.create')).toHaveLength(step === 'invoice.create' ? 2 : 1);
    },
  );

  it('stops a holder whose lease was taken over, at its next checkpoint; the new holder charges once', async () => {
    const world = buildWorld();
    const hold = world.billing.holdAt('invoice.add_lines');
    const request = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'slow-holder' };
    const slow = world.createInvoice.execute(request);
    await hold.reached;
    world.clock.advance(LEASE + 1); // the slow holder shows no sign of life for longer than its lease

    const takeover = await world.createInvoice.execute(request);
    expect(takeover.status).toBe('succeeded');
    hold.release();
    await expectRejection(slow, IdempotencyInProgress);
    expect(world.billing.invoices.size).toBe(1);
    expect(world.billing.paymentIntents.size).toBe(1);
    expect(JSON.stringify(await world.createInvoice.execute(request))).toBe(JSON.stringify(replayOf(takeover)));
  });
});

describe('Reconcile', () => {
  it('finishes an abandoned operation from its recovery point, and the caller later hears the result', async () => {
    const world = buildWorld();
    world.billing.failStep('invoice.pay');
    const request = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'abandoned-1' };
    await expect(world.createInvoice.execute(request)).rejects.toBeInstanceOf(UpstreamUnavailable);
    // The attempt's holder died (no release): its lease must run out first.
    const record = [...world.idempotencyRecords.records.values()][0]!;
    record.leaseUntil = new Date(world.clock.now().getTime() + LEASE);
    const reconcile = world.useCases.reconcile;
    expect((await reconcile.run()).operations).toEqual([]);

    world.clock.advance(2 * LEASE + 1);
    const report = await reconcile.run();
    expect(report.operations).toEqual([
      { appId: APP, key: 'abandoned-1', operationId: record.operationId, result: 'completed', detail: expect.stringContaining('succeeded') },
    ]);
    expect(report.attempts).toEqual([{ id: world.chargeLedger.rows[0]!.id, operationId: record.operationId, outcome: 'superseded' }]);
    expect(world.billing.invoices.size).toBe(1);
    expect(world.billing.paymentIntents.size).toBe(1);
    const answer = await world.createInvoice.execute(request);
    expect(answer.invoice.status).toBe('paid');
    expect(world.billing.paymentIntents.size).toBe(1);
    expect(doneBy(await reconcile.run())).toEqual(NOTHING_DONE);
  });

  it('records the failure, and voids what Stripe holds, when the request can no longer be honoured', async () => {
    const world = buildWorld();
    world.billing.failStep('invoice.pay');
    const request = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'abandoned-2' };
    await expect(world.createInvoice.execute(request)).rejects.toBeInstanceOf(UpstreamUnavailable);
    await world.tenants.removeMember(TENANTS.pays, USER); // the user may no longer bill the tenant
    world.clock.advance(2 * LEASE + 1);
    const report = await world.useCases.reconcile.run();
    expect(report.operations[0]).toMatchObject({ result: 'failed', detail: 'The user is not a member of this tenant.' });
    expect([...world.billing.invoices.values()]).toEqual([]); // the draft was deleted
    expect(world.billing.paymentIntents.size).toBe(0);
    await expectRejection(world.createInvoice.execute(request), Forbidden, 'not_a_member');
  });

  it('settles attempts made without an Idempotency-Key with what Stripe holds', async () => {
    const world = buildWorld();
    world.billing.failStep('invoice.pay');
    await expect(world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() })).rejects.toBeInstanceOf(UpstreamUnavailable);
    world.billing.failStep('subscription.create', 0);
    const subscription = { caller: world.writer, tenantId: TENANTS.pays, input: body({ mode: 'subscription', price: PRICES.monthly }) };
    await world.createInvoice.execute(subscription);
    world.chargeLedger.rows[1]!.outcome = 'unknown'; // its answer was lost before it was recorded
    world.clock.advance(2 * LEASE + 1);

    const report = await world.useCases.reconcile.run();
    expect(report.attempts.map((attempt) => attempt.outcome)).toEqual(['abandoned', 'succeeded']);
    expect([...world.billing.invoices.values()].map((invoice) => invoice.status)).toEqual(['paid']);
    expect(world.chargeLedger.rows.map((row) => row.outcome)).toEqual(['abandoned', 'succeeded']);
  });

  it('does nothing to operations that are still running', async () => {
    const world = buildWorld();
    const hold = world.billing.holdAt('invoice.pay');
    const running = world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: parseIdempotencyKey('running') });
    await hold.reached;
    expect(doneBy(await world.useCases.reconcile.run())).toEqual(NOTHING_DONE);
    hold.release();
    await expect(running).resolves.toMatchObject({ status: 'succeeded' });
  });
});
