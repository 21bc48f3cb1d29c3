import { randomUUID } from 'node:crypto';
import type { FinalOutcome } from '../../../application/final-outcome';
import { failedInvoiceRecord } from '../../../application/ledger-settlement';
import type { IdempotencyClaim, LedgerEntry } from '../../../application/ports';
import { parseApiKeyId, parseIdempotencyKey, parseOperationId, parsePriceId, parseTaxRateId, type AppId, type InvoiceId } from '../../../domain/ids';
import { newAppId, newTenantId, newUserId } from './store-fixtures';
import { forEachStore } from './store-worlds';

forEachStore('ChargeLedger and LedgerReader', (world) => {
  const entry = (overrides: Partial<LedgerEntry> = {}): LedgerEntry => ({
    id: randomUUID(),
    operationId: parseOperationId(randomUUID()),
    appId: newAppId(),
    apiKeyId: parseApiKeyId(randomUUID()),
    tenantId: newTenantId(),
    userId: newUserId(),
    mode: 'payment',
    livemode: false,
    currency: 'usd',
    subtotal: 999_999_990_000,
    tax: 189_999_998_100,
    total: 1_189_999_988_100,
    idempotencyKey: parseIdempotencyKey('order-7'),
    startedAt: world().clock.now(),
    ...overrides,
  });

  it('opens a pending row and settles it, keeping large amounts and flags exact', async () => {
    const row = entry({ livemode: true, mode: 'subscription', idempotencyKey: null });
    await world().store.chargeLedger.begin(row);
    expect(await world().store.chargeLedger.list({ appId: row.appId, limit: 10 })).toEqual([
      { ...row, outcome: 'pending', stripeInvoiceId: null, stripePaymentIntentId: null, stripeSubscriptionId: null, declineCode: null, finishedAt: null },
    ]);
    const finishedAt = new Date(world().clock.now().getTime() + 1234);
    await world().store.chargeLedger.settle(row.id, {
      outcome: 'declined', stripeInvoiceId: 'in_1', stripePaymentIntentId: 'pi_1', stripeSubscriptionId: 'sub_1', declineCode: 'generic_decline', finishedAt,
    });
    expect(await world().store.chargeLedger.list({ appId: row.appId, limit: 10 })).toEqual([
      { ...row, outcome: 'declined', stripeInvoiceId: 'in_1', stripePaymentIntentId: 'pi_1', stripeSubscriptionId: 'sub_1', declineCode: 'generic_decline', finishedAt },
    ]);
  });

  it("stores the key's final answer with the settlement and its invoice, none for a holder whose lease was taken over, and nothing when the settlement fails", async () => {
    const declined: FinalOutcome = {
      kind: 'failed',
      failure: { code: 'PAYMENT_DECLINED', reason: 'card_declined', message: 'The card was declined.', declineCode: 'generic_decline', invoiceId: 'in_1' },
    };
    const settlement = { outcome: 'declined' as const, stripeInvoiceId: 'in_1', stripePaymentIntentId: null, stripeSubscriptionId: null, declineCode: 'generic_decline', finishedAt: world().clock.now() };
    const { idempotencyRecords, chargeLedger } = world().store;
    const claimed = (appId: AppId, leaseToken: string): IdempotencyClaim => {
      const now = world().clock.now();
      return {
        appId, key: parseIdempotencyKey('order-7'), fingerprint: '["body"]', operationId: parseOperationId(randomUUID()), leaseToken, now,
        leaseUntil: new Date(now.getTime() + 60_000),
        stored: {
          request: { tenantId: newTenantId(), userId: newUserId(), priceId: parsePriceId('price_1'), taxRateId: parseTaxRateId('txr_1'), mode: 'payment', quantity: 1, test: true },
          caller: { appId, keyId: parseApiKeyId(randomUUID()), keyType: 'write' },
        },
      };
    };

    const held = claimed(newAppId(), randomUUID());
    await idempotencyRecords.claim(held);
    const row = entry({ appId: held.appId });
    const voided = failedInvoiceRecord(row, 'in_held', world().clock.now());
    await chargeLedger.begin(row);
    await chargeLedger.settle(row.id, settlement, voided, { appId: held.appId, key: held.key, leaseToken: held.leaseToken, outcome: declined });
    expect(await idempotencyRecords.claim({ ...held, leaseToken: randomUUID() })).toEqual({ status: 'completed', outcome: declined });
    expect((await chargeLedger.list({ appId: held.appId, limit: 1 }))[0]?.outcome).toBe('declined');
    expect(await world().store.invoices.find(held.appId, row.tenantId, 'in_held' as InvoiceId)).toMatchObject({ status: 'void', paymentStatus: 'failed' });

    // A settlement that cannot be written (no such ledger row) stores neither the answer nor the invoice.
    const orphan = claimed(newAppId(), randomUUID());
    await idempotencyRecords.claim(orphan);
    const missing = entry({ appId: orphan.appId });
    const orphanInvoice = failedInvoiceRecord(missing, 'in_orphan', world().clock.now());
    await expect(
      chargeLedger.settle(missing.id, settlement, orphanInvoice, { appId: orphan.appId, key: orphan.key, leaseToken: orphan.leaseToken, outcome: declined }),
    ).rejects.toThrow();
    expect(await idempotencyRecords.claim({ ...orphan, leaseToken: randomUUID() })).toEqual({ status: 'in_progress', leaseUntil: orphan.leaseUntil });
    expect(await world().store.invoices.find(orphan.appId, missing.tenantId, 'in_orphan' as InvoiceId)).toBeUndefined();

    const lost = claimed(newAppId(), randomUUID());
    await idempotencyRecords.claim(lost);
    const other = entry({ appId: lost.appId });
    await chargeLedger.begin(other);
    await chargeLedger.settle(other.id, settlement, undefined, { appId: lost.appId, key: lost.key, leaseToken: randomUUID(), outcome: declined });
    expect(await idempotencyRecords.claim({ ...lost, leaseToken: randomUUID() })).toEqual({ status: 'in_progress', leaseUntil: lost.leaseUntil });
    expect((await chargeLedger.list({ appId: lost.appId, limit: 1 }))[0]?.outcome).toBe('declined');
  });

  it('lists by app or tenant, newest first, within the limit', async () => {
    const appId = newAppId();
    const tenantId = newTenantId();
    const rows = [0, 1, 2].map((minutes) =>
      entry({ appId, tenantId: minutes === 1 ? newTenantId() : tenantId, startedAt: new Date(world().clock.now().getTime() + minutes * 60_000) }),
    );
    for (const row of rows) await world().store.chargeLedger.begin(row);
    expect((await world().store.chargeLedger.list({ appId, limit: 10 })).map((row) => row.id)).toEqual([rows[2]!.id, rows[1]!.id, rows[0]!.id]);
    expect((await world().store.chargeLedger.list({ tenantId, limit: 10 })).map((row) => row.id)).toEqual([rows[2]!.id, rows[0]!.id]);
    expect(await world().store.chargeLedger.list({ appId, limit: 1 })).toHaveLength(1);
  });

  it('finds attempts still pending or unknown that started before a time, and the attempts of one operation', async () => {
    const operationId = parseOperationId(randomUUID());
    const old = new Date(world().clock.now().getTime() - 3_600_000);
    const pending = entry({ operationId, startedAt: old });
    const unknown = entry({ startedAt: old });
    const settled = entry({ startedAt: old });
    const recent = entry({ operationId, startedAt: world().clock.now() });
    for (const row of [pending, unknown, settled, recent]) await world().store.chargeLedger.begin(row);
    const settlement = { stripeInvoiceId: null, stripePaymentIntentId: null, stripeSubscriptionId: null, declineCode: null, finishedAt: old };
    await world().store.chargeLedger.settle(unknown.id, { ...settlement, outcome: 'unknown' });
    await world().store.chargeLedger.settle(settled.id, { ...settlement, outcome: 'succeeded' });

    const found = (await world().store.chargeLedger.unsettled(new Date(old.getTime() + 1), 1000)).map((row) => row.id);
    expect(found).toEqual(expect.arrayContaining([pending.id, unknown.id]));
    expect(found).not.toContain(settled.id);
    expect(found).not.toContain(recent.id);
    expect((await world().store.chargeLedger.list({ operationId, limit: 10 })).map((row) => row.id)).toEqual([recent.id, pending.id]);
  });
});
