import { UpstreamUnavailable } from '../../application/errors';
import {
  Forbidden,
  IdempotencyInProgress,
  IdempotencyKeyReused,
  PaymentDeclined,
} from '../../domain/errors';
import { parseApiKeyId } from '../../domain/ids';
import { expectRejection } from '../support/expect-error';
import { OTHER_APP, TENANTS, body, buildWorld } from '../support/world';

describe('CreateStripeInvoice: Idempotency-Key', () => {
  it('replays the first answer to a retry without calling Stripe again', async () => {
    const world = buildWorld();
    const request = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'order-1' };
    const first = await world.createInvoice.execute(request);
    const second = await world.createInvoice.execute({ ...request, input: body({ test: false }) }); // default made explicit

    const { replayed, ...answer } = second;
    expect([first.replayed, replayed]).toEqual([undefined, true]);
    expect(JSON.stringify(answer)).toBe(JSON.stringify(first));
    expect(world.billing.requests).toHaveLength(3);
    expect(world.billing.invoices.size).toBe(1);
    expect(world.chargeLedger.rows).toHaveLength(1);
  });

  it('answers a concurrent duplicate with IDEMPOTENCY_IN_PROGRESS and charges once', async () => {
    const world = buildWorld();
    const request = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'order-2' };
    const results = await Promise.allSettled([world.createInvoice.execute(request), world.createInvoice.execute(request)]);

    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(IdempotencyInProgress);
    expect((rejected.reason as IdempotencyInProgress).retryAfterSeconds).toBeGreaterThan(0);
    expect(world.billing.invoices.size).toBe(1);
  });

  it('refuses the same key with a different request and creates nothing', async () => {
    const world = buildWorld();
    const request = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'order-3' };
    await world.createInvoice.execute(request);
    await expectRejection(world.createInvoice.execute({ ...request, input: body({ quantity: 2 }) }), IdempotencyKeyReused);
    await expectRejection(world.createInvoice.execute({ ...request, tenantId: TENANTS.declines }), IdempotencyKeyReused);
    expect(world.billing.requests).toHaveLength(3);
    expect(world.chargeLedger.rows).toHaveLength(1);
  });

  it('replays a decline as the same error, not a second attempt', async () => {
    const world = buildWorld();
    const request = { caller: world.writer, tenantId: TENANTS.declines, input: body(), idempotencyKey: 'order-4' };
    const first = await expectRejection(world.createInvoice.execute(request), PaymentDeclined);
    const requestsAfterFirst = world.billing.requests.length;
    const second = await expectRejection(world.createInvoice.execute(request), PaymentDeclined);

    expect(second.message).toBe(first.message);
    expect([second.declineCode, second.invoiceId]).toEqual([first.declineCode, first.invoiceId]);
    expect(world.billing.requests).toHaveLength(requestsAfterFirst);
    expect(world.chargeLedger.rows).toHaveLength(1);
  });

  it('after Stripe was unreachable, resumes the retry from its recovery point under the same Stripe keys', async () => {
    const world = buildWorld();
    world.billing.failStep('invoice.pay');
    const request = { caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'order-5' };
    await expect(world.createInvoice.execute(request)).rejects.toBeInstanceOf(UpstreamUnavailable);
    expect(world.chargeLedger.rows.map((row) => row.outcome)).toEqual(['unknown']);

    const result = await world.createInvoice.execute(request);
    expect(result.status).toBe('succeeded');
    const keys = world.billing.requests.map((call) => call.idempotencyKey);
    // The first attempt created the invoice and added its line, then could not pay; the retry only pays, same key.
    expect(keys.slice(3)).toEqual([keys[2]]);
    expect(keys[2]).toMatch(/:invoice\.pay$/);
    expect(world.billing.invoices.size).toBe(1);
    expect(world.billing.paymentIntents.size).toBe(1);
    expect(world.chargeLedger.rows.map((row) => row.outcome)).toEqual(['unknown', 'succeeded']);
    expect(new Set(world.chargeLedger.rows.map((row) => row.operationId)).size).toBe(1);
  });

  it('forgets a key whose request was refused before Stripe was called', async () => {
    const world = buildWorld();
    const request = { caller: world.writer, tenantId: TENANTS.otherApps, input: body(), idempotencyKey: 'order-6' };
    await expectRejection(world.createInvoice.execute(request), Forbidden);
    const corrected = await world.createInvoice.execute({ ...request, tenantId: TENANTS.pays });
    expect(corrected.status).toBe('succeeded');
  });

  it('scopes keys per app: another app may use the same key for its own request', async () => {
    const world = buildWorld();
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'k' });
    const otherApp = { appId: OTHER_APP, keyId: parseApiKeyId('c0000000-0000-4000-8000-000000000009'), keyType: 'write' as const };
    const result = await world.createInvoice.execute({
      caller: otherApp, tenantId: TENANTS.otherApps, input: body(), idempotencyKey: 'k',
    });
    expect(result.paymentIntent?.object).toMatchObject({ customer: 'cus_foreign' });
    expect(world.billing.invoices.size).toBe(2);
  });

  it('gives every request without a key its own operation and Stripe keys', async () => {
    const world = buildWorld();
    const request = { caller: world.writer, tenantId: TENANTS.pays, input: body() };
    await world.createInvoice.execute(request);
    await world.createInvoice.execute(request);
    expect(world.billing.invoices.size).toBe(2);
    expect(new Set(world.billing.requests.map((call) => call.idempotencyKey)).size).toBe(6);
  });
});
