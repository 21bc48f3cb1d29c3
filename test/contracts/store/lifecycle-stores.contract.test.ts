import { randomUUID } from 'node:crypto';
import type { InvoiceRecord } from '../../../application/invoice-record';
import type { StripeEvent } from '../../../application/lifecycle/stripe-event';
import { Secret } from '../../../application/secret';
import { parseOperationId, type AppId, type InvoiceId } from '../../../domain/ids';
import { newAppId, newTenantId, newUserId } from './store-fixtures';
import { forEachStore } from './store-worlds';

let serial = 0;
function event(overrides: Partial<StripeEvent> = {}, created = new Date('2026-01-15T09:00:00Z')): StripeEvent {
  serial += 1;
  return {
    id: `evt_contract${serial}_${randomUUID().slice(0, 8)}`, type: 'invoice.paid', created, livemode: false, payload: `{"n":${serial}}`,
    subject: { invoiceId: `in_${serial}`, paymentIntentId: null, subscriptionId: null, operationId: null }, ...overrides,
  };
}

forEachStore('Stripe event inbox', (world) => {
  const at = (offsetMs: number) => new Date(world().clock.now().getTime() + offsetMs);
  /** Everything due now, claimed (and so leased) by one caller. */
  const claimAll = (offsetMs = 0, limit = 1_000) => world().store.eventInbox.claim(at(offsetMs), at(offsetMs + 60_000), limit);

  it('keeps an event once per app, exactly as received', async () => {
    const appId = newAppId();
    const received = event({ subject: { invoiceId: 'in_a', paymentIntentId: 'pi_a', subscriptionId: 'sub_a', operationId: randomUUID() } });
    expect(await world().store.eventInbox.add(appId, 'test', received, at(0))).toBe(true);
    expect(await world().store.eventInbox.add(appId, 'test', received, at(1))).toBe(false);
    expect(await world().store.eventInbox.add(newAppId(), 'test', received, at(0))).toBe(true); // another app's inbox
    const claimed = (await claimAll()).filter((candidate) => candidate.appId === appId);
    expect(claimed).toEqual([{ ...received, appId, mode: 'test', receivedAt: at(0), attempts: 0 }]);
  });

  it('hands out due events oldest first, each to one claimant until its lease runs out', async () => {
    const appId = newAppId();
    const later = event({}, new Date('2026-01-15T09:00:02Z'));
    const earlier = event({}, new Date('2026-01-15T09:00:01Z'));
    await world().store.eventInbox.add(appId, 'live', later, at(0));
    await world().store.eventInbox.add(appId, 'live', earlier, at(0));
    const first = (await claimAll()).filter((candidate) => candidate.appId === appId);
    expect(first.map((candidate) => candidate.id)).toEqual([earlier.id, later.id]);
    expect((await claimAll(1_000)).filter((candidate) => candidate.appId === appId)).toEqual([]);
    expect((await claimAll(61_000)).filter((candidate) => candidate.appId === appId).map((candidate) => candidate.id)).toEqual([earlier.id, later.id]);
  });

  it('finishes an event for good, and leaves one to retry from a later time', async () => {
    const appId = newAppId();
    const done = event();
    const retried = event();
    await world().store.eventInbox.add(appId, 'live', done, at(0));
    await world().store.eventInbox.add(appId, 'live', retried, at(0));
    await claimAll();
    await world().store.eventInbox.finish(appId, done.id, 'applied', at(10));
    await world().store.eventInbox.retryLater(appId, retried.id, 'Stripe was down', at(30_000));
    expect((await claimAll(20_000)).filter((candidate) => candidate.appId === appId)).toEqual([]);
    const again = (await claimAll(30_000)).filter((candidate) => candidate.appId === appId);
    expect(again.map((candidate) => [candidate.id, candidate.attempts])).toEqual([[retried.id, 1]]);
  });

  it('takes up again the events that failed, within the window asked for', async () => {
    const appId = newAppId();
    const recent = event({}, at(-60_000));
    const old = event({}, at(-40 * 86_400_000));
    for (const failed of [recent, old]) {
      await world().store.eventInbox.add(appId, 'live', failed, at(0));
    }
    await claimAll();
    for (const failed of [recent, old]) await world().store.eventInbox.finish(appId, failed.id, 'failed', at(1));
    expect(await world().store.eventInbox.reopenFailed(at(-30 * 86_400_000), at(2))).toBeGreaterThanOrEqual(1);
    const again = (await claimAll(2)).filter((candidate) => candidate.appId === appId);
    expect(again.map((candidate) => [candidate.id, candidate.attempts])).toEqual([[recent.id, 0]]);
  });

  it('counts the backlog and knows its oldest', async () => {
    const before = await world().store.eventInbox.stats();
    const appId = newAppId();
    await world().store.eventInbox.add(appId, 'live', event(), at(-5_000));
    const after = await world().store.eventInbox.stats();
    expect(after.backlog).toBe(before.backlog + 1);
    expect(after.oldestReceivedAt!.getTime()).toBeLessThanOrEqual(at(-5_000).getTime());
  });

  it('remembers how far each app and mode was caught up', async () => {
    const appId = newAppId();
    expect(await world().store.eventInbox.caughtUpUntil(appId, 'live')).toBeUndefined();
    await world().store.eventInbox.setCaughtUpUntil(appId, 'live', at(0));
    await world().store.eventInbox.setCaughtUpUntil(appId, 'live', at(5_000));
    expect(await world().store.eventInbox.caughtUpUntil(appId, 'live')).toEqual(at(5_000));
    expect(await world().store.eventInbox.caughtUpUntil(appId, 'test')).toBeUndefined();
  });
});

forEachStore('Webhook signing secrets', (world) => {
  it('keeps a secret per app and mode, shows only a hint, and never stores it in plaintext', async () => {
    const appId = newAppId();
    const secret = `whsec_${randomUUID().replaceAll('-', '')}`;
    world().secretsWritten.add(secret);
    await world().store.webhookSecrets.set(appId, 'live', new Secret(secret), 'we_1', world().clock.now());
    const found = await world().store.webhookSecrets.find(appId, 'live');
    expect(found?.secret.reveal()).toBe(secret);
    expect(found?.endpointId).toBe('we_1');
    expect(await world().store.webhookSecrets.find(appId, 'test')).toBeUndefined();
    expect(await world().store.webhookSecrets.find(newAppId(), 'live')).toBeUndefined();
    expect(await world().store.webhookSecrets.status(appId)).toEqual([{ mode: 'live', hint: `whsec_…${secret.slice(-4)}`, endpointId: 'we_1', updatedAt: world().clock.now() }]);
    const replaced = `whsec_${randomUUID().replaceAll('-', '')}`;
    world().secretsWritten.add(replaced);
    await world().store.webhookSecrets.set(appId, 'live', new Secret(replaced), null, world().clock.now());
    expect(await world().store.webhookSecrets.find(appId, 'live')).toMatchObject({ endpointId: null });
    expect((await world().store.webhookSecrets.find(appId, 'live'))!.secret.reveal()).toBe(replaced);
  });
});

forEachStore('Invoices as the lifecycle reads and writes them', (world) => {
  let appId: AppId;
  beforeEach(() => {
    appId = newAppId();
  });

  function record(overrides: Partial<InvoiceRecord> = {}): InvoiceRecord {
    serial += 1;
    const at = world().clock.now();
    return {
      id: `in_life${serial}` as InvoiceId, appId, tenantId: newTenantId(), userId: newUserId(), operationId: parseOperationId(randomUUID()),
      idempotencyKey: null, number: null, status: 'open', paymentStatus: 'requires_action', mode: 'payment', livemode: false, currency: 'usd',
      subtotal: 100, tax: 19, total: 119, amountPaid: 0, amountRefunded: 0, hostedInvoiceUrl: null, invoicePdf: null,
      paymentIntentId: `pi_life${serial}`, subscriptionId: null, billingReason: 'manual', subscriptionStatus: null, createdAt: at, updatedAt: at,
      ...overrides,
    };
  }
  const later = (ms: number) => new Date(world().clock.now().getTime() + ms);

  it('finds an invoice by id and by PaymentIntent, only in its own app', async () => {
    const invoice = record();
    await world().store.invoices.write(invoice);
    expect(await world().store.invoices.byId(appId, invoice.id)).toEqual(invoice);
    expect(await world().store.invoices.byPaymentIntent(appId, invoice.paymentIntentId!)).toEqual(invoice);
    expect(await world().store.invoices.byId(newAppId(), invoice.id)).toBeUndefined();
    expect(await world().store.invoices.byPaymentIntent(newAppId(), invoice.paymentIntentId!)).toBeUndefined();
  });

  it('writes a reading only over an older one, keeping the first creation time', async () => {
    const invoice = record();
    await world().store.invoices.write(invoice);
    const newer = { ...invoice, status: 'paid' as const, paymentStatus: 'succeeded' as const, amountPaid: 119, createdAt: later(9_000), updatedAt: later(2_000) };
    await world().store.invoices.write(newer);
    await world().store.invoices.write({ ...invoice, updatedAt: later(1_000) });
    expect(await world().store.invoices.byId(appId, invoice.id)).toEqual({ ...newer, createdAt: invoice.createdAt });
  });

  it("two writers of a new invoice at once: one row, the newer reading, and the app's events once", async () => {
    const secret = `whsec_${randomUUID().replaceAll('-', '')}`;
    world().secretsWritten.add(secret);
    await world().store.appEndpoints.create(
      { id: `we_${randomUUID().slice(0, 8)}`, appId, url: 'https://app.example.com/hook', eventTypes: null, status: 'enabled', disabledReason: null, disabledAt: null, failingSince: null, createdAt: world().clock.now() },
      new Secret(secret),
    );
    const paid = record({ status: 'paid', paymentStatus: 'succeeded', amountPaid: 119 });
    const before = (await world().store.outbox.stats()).backlog;
    await Promise.all([world().store.invoices.write(paid), world().store.invoices.write({ ...paid, number: 'INV-2', updatedAt: later(1_000) })]);
    expect(await world().store.invoices.byId(appId, paid.id)).toMatchObject({ number: 'INV-2' });
    expect((await world().store.outbox.stats()).backlog - before).toBe(1); // invoice.paid, once
  });

  it("keeps a subscription's status on all its invoices, newest reading first, and finds its first invoice", async () => {
    const first = record({ subscriptionId: 'sub_life', mode: 'subscription', subscriptionStatus: 'active', billingReason: 'subscription_create' });
    const renewal = record({ subscriptionId: 'sub_life', mode: 'subscription', tenantId: first.tenantId, billingReason: 'subscription_cycle', createdAt: later(1_000), updatedAt: later(1_000) });
    await world().store.invoices.write(first);
    await world().store.invoices.write(renewal);
    expect((await world().store.invoices.firstOfSubscription(appId, 'sub_life'))?.id).toBe(first.id);
    await world().store.invoices.setSubscriptionStatus(appId, 'sub_life', 'past_due', later(3_000));
    await world().store.invoices.setSubscriptionStatus(appId, 'sub_life', 'active', later(2_000));
    await world().store.invoices.setSubscriptionStatus(newAppId(), 'sub_life', 'canceled', later(4_000));
    expect((await world().store.invoices.byId(appId, first.id))?.subscriptionStatus).toBe('past_due');
    expect((await world().store.invoices.byId(appId, renewal.id))?.subscriptionStatus).toBe('past_due');
    // A later reading of the invoice itself leaves the subscription's status alone.
    await world().store.invoices.write({ ...first, subscriptionStatus: 'active', updatedAt: later(5_000) });
    expect((await world().store.invoices.byId(appId, first.id))?.subscriptionStatus).toBe('past_due');
  });
});
