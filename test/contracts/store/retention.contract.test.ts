import { randomUUID } from 'node:crypto';
import type { FinalOutcome } from '../../../application/final-outcome';
import type { InvoiceRecord } from '../../../application/invoice-record';
import type { StripeEvent } from '../../../application/lifecycle/stripe-event';
import type { IdempotencyClaim, LedgerEntry } from '../../../application/ports';
import { Secret } from '../../../application/secret';
import { parseApiKeyId, parseIdempotencyKey, parseOperationId, parseTenantId, parseUserId, type InvoiceId, type PriceId, type TaxRateId } from '../../../domain/ids';
import { newAppId, newTenantId, newUserId } from './store-fixtures';
import { forEachStore } from './store-worlds';

// What the retention deletes, and what it must keep whatever its age. Purges run over the whole store, so each test
// looks at its own records, not at counts.

const FAR_FUTURE = new Date('2100-01-01T00:00:00Z');
const LONG_AGO = new Date('2000-01-01T00:00:00Z');
const outcome: FinalOutcome = { kind: 'failed', failure: { code: 'NO_PAYMENT_METHOD', reason: 'no_default_payment_method', message: 'No card.' } };

forEachStore('Retention', (world) => {
  const claim = (): IdempotencyClaim => {
    const now = world().clock.now();
    return {
      appId: newAppId(), key: parseIdempotencyKey(`order-${randomUUID()}`), fingerprint: '["body"]', operationId: parseOperationId(randomUUID()), leaseToken: randomUUID(),
      now, leaseUntil: new Date(now.getTime() + 60_000),
      stored: {
        request: { tenantId: parseTenantId(randomUUID()), userId: parseUserId(randomUUID()), priceId: 'price_1' as PriceId, taxRateId: 'txr_1' as TaxRateId, mode: 'payment', quantity: 1, test: true },
        caller: { appId: newAppId(), keyId: parseApiKeyId(randomUUID()), keyType: 'write' },
      },
    };
  };
  const again = (first: IdempotencyClaim) => ({ ...claim(), appId: first.appId, key: first.key, fingerprint: first.fingerprint });

  it('deletes final idempotency answers older than the cut-off, never an unfinished operation, never a recent answer', async () => {
    const { idempotencyRecords, expiredRecords } = world().store;
    const finished = claim();
    const unfinished = claim();
    await idempotencyRecords.claim(finished);
    await idempotencyRecords.complete({ appId: finished.appId, key: finished.key, leaseToken: finished.leaseToken, outcome });
    await idempotencyRecords.claim(unfinished);
    expect(await expiredRecords.purgeIdempotencyAnswers(LONG_AGO, 1_000)).toBe(0);
    expect(await idempotencyRecords.claim(again(finished))).toMatchObject({ status: 'completed' }); // still replayed
    expect(await expiredRecords.purgeIdempotencyAnswers(FAR_FUTURE, 1_000)).toBeGreaterThanOrEqual(1);
    expect(await idempotencyRecords.claim(again(finished))).toMatchObject({ status: 'claimed' }); // the key is free again
    expect(await idempotencyRecords.claim(again(unfinished))).toMatchObject({ status: 'in_progress' });
  });

  it('deletes Stripe events applied or ignored before the cut-off, never a failed or a pending one', async () => {
    const { eventInbox, expiredRecords } = world().store;
    const appId = newAppId();
    const event = (): StripeEvent => ({
      id: `evt_${randomUUID().slice(0, 12)}`, type: 'invoice.paid', created: LONG_AGO, livemode: false, payload: '{}',
      subject: { invoiceId: 'in_1', paymentIntentId: null, subscriptionId: null, operationId: null },
    });
    const [applied, failed, pending] = [event(), event(), event()];
    for (const each of [applied!, failed!, pending!]) await eventInbox.add(appId, 'test', each, LONG_AGO);
    await eventInbox.finish(appId, applied!.id, 'applied', new Date('2001-01-01T00:00:00Z'));
    await eventInbox.finish(appId, failed!.id, 'failed', new Date('2001-01-01T00:00:00Z'));
    expect(await expiredRecords.purgeStripeEvents(new Date('2001-01-01T00:00:00Z'), 1_000)).toBe(0); // not before the cut-off
    expect(await expiredRecords.purgeStripeEvents(FAR_FUTURE, 1_000)).toBeGreaterThanOrEqual(1);
    // Received again: the applied one is new to the inbox; the failed and the pending one are still known.
    expect(await eventInbox.add(appId, 'test', applied!, world().clock.now())).toBe(true);
    expect(await eventInbox.add(appId, 'test', failed!, world().clock.now())).toBe(false);
    expect(await eventInbox.add(appId, 'test', pending!, world().clock.now())).toBe(false);
  });

  it("deletes an app's events once none of their deliveries is pending, with their deliveries and attempts", async () => {
    const { appEndpoints, outbox, invoices, expiredRecords } = world().store;
    const appId = newAppId();
    const secret = `whsec_${randomUUID().replaceAll('-', '')}`;
    world().secretsWritten.add(secret);
    await appEndpoints.create(
      { id: `we_${randomUUID().slice(0, 8)}`, appId, url: 'https://app.example.com/hook', eventTypes: null, status: 'enabled', disabledReason: null, disabledAt: null, failingSince: null, createdAt: LONG_AGO },
      new Secret(secret),
    );
    const invoice: InvoiceRecord = {
      id: `in_ret${randomUUID().slice(0, 8)}` as InvoiceId, appId, tenantId: newTenantId(), userId: newUserId(), operationId: parseOperationId(randomUUID()), idempotencyKey: null,
      number: null, status: 'paid', paymentStatus: 'succeeded', mode: 'payment', livemode: false, currency: 'usd', subtotal: 100, tax: 19, total: 119, amountPaid: 119,
      amountRefunded: 0, hostedInvoiceUrl: null, invoicePdf: null, paymentIntentId: null, subscriptionId: null, billingReason: 'manual', subscriptionStatus: null,
      createdAt: LONG_AGO, updatedAt: LONG_AGO,
    };
    await invoices.write(invoice);
    await expiredRecords.purgeAppEvents(FAR_FUTURE, 1_000); // its delivery is pending: kept
    const due = (await outbox.claim(FAR_FUTURE, new Date(FAR_FUTURE.getTime() + 60_000), 1_000)).filter((delivery) => delivery.appId === appId);
    expect(due.map((delivery) => delivery.type)).toEqual(['invoice.paid']);
    const [delivery] = due;
    await outbox.recordAttempt({ eventId: delivery!.eventId, endpointId: delivery!.endpointId, appId, attempt: 1, at: LONG_AGO, status: 200, error: null, durationMs: 1, response: 'ok' });
    await outbox.delivered(delivery!, LONG_AGO);
    await expiredRecords.purgeAppEvents(LONG_AGO, 1_000); // not before the cut-off
    expect(await outbox.attempts(appId, { limit: 10 })).toHaveLength(1);
    await expiredRecords.purgeAppEvents(FAR_FUTURE, 1_000);
    expect(await outbox.attempts(appId, { limit: 10 })).toEqual([]);
    expect(await outbox.redeliver(appId, delivery!.eventId, world().clock.now())).toBe(0); // no delivery left to send again
  });

  it('deletes settled ledger rows finished before the cut-off, never a pending one', async () => {
    const { chargeLedger, expiredRecords } = world().store;
    const appId = newAppId();
    const entry = (): LedgerEntry => ({
      id: randomUUID(), operationId: parseOperationId(randomUUID()), appId, apiKeyId: parseApiKeyId(randomUUID()), tenantId: newTenantId(), userId: newUserId(),
      mode: 'payment', livemode: false, currency: 'usd', subtotal: 100, tax: 19, total: 119, idempotencyKey: null, startedAt: LONG_AGO,
    });
    const settled = entry();
    const pending = entry();
    await chargeLedger.begin(settled);
    await chargeLedger.begin(pending);
    await chargeLedger.settle(settled.id, { outcome: 'declined', stripeInvoiceId: null, stripePaymentIntentId: null, stripeSubscriptionId: null, declineCode: null, finishedAt: LONG_AGO });
    await expiredRecords.purgeLedger(FAR_FUTURE, 1_000);
    expect((await chargeLedger.list({ appId, limit: 10 })).map((row) => row.id)).toEqual([pending.id]);
  });
});
