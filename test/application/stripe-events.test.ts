import Stripe from 'stripe';
import type { InvoiceLife } from '../../application/lifecycle/invoice-life';
import { MAX_EVENT_ATTEMPTS } from '../../application/lifecycle/process-stripe-events';
import { Secret } from '../../application/secret';
import { WebhookRejected } from '../../application/errors';
import type { AppId, InvoiceId } from '../../domain/ids';
import { expectRejection } from '../support/expect-error';
import { APP, OTHER_APP, STRIPE_KEYS, TENANTS, body, buildWorld } from '../support/world';

const SECRET = 'whsec_applicationTestSecret0000000';
const sdk = new Stripe('sk_test_unused');

type World = ReturnType<typeof buildWorld>;

/** A Stripe event about `object`, as Stripe would deliver it. */
function eventJson(id: string, type: string, object: Record<string, unknown>, livemode = true, created = new Date()): string {
  return JSON.stringify({ id, object: 'event', type, created: Math.floor(created.getTime() / 1000), livemode, data: { object }, api_version: '2026-10-28.endive' });
}

function signed(payload: string, secret = SECRET, timestamp?: number) {
  return sdk.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp === undefined ? {} : { timestamp }) });
}

async function deliver(world: World, payload: string, options: { appId?: string; mode?: string; signature?: string } = {}) {
  return world.useCases.receiveStripeEvent.execute({
    appId: options.appId ?? APP, mode: options.mode ?? 'live', payload, signature: options.signature ?? signed(payload),
  });
}

/** A charged invoice in the store, and Stripe's view of it (which tests then change as Stripe would). */
async function charged(world: World, tenantId = TENANTS.pays) {
  const result = await world.createInvoice.execute({ caller: world.writer, tenantId, input: body({ mode: 'payment' }) }).catch(() => undefined);
  const [record] = [...world.chargeLedger.invoices.rows.values()].slice(-1);
  const life: InvoiceLife = {
    id: record!.id, number: record!.number, status: record!.status, billingReason: 'manual', livemode: true, currency: record!.currency,
    subtotal: record!.subtotal, tax: record!.tax, total: record!.total, amountDue: record!.total, amountPaid: record!.amountPaid,
    hostedInvoiceUrl: record!.hostedInvoiceUrl, invoicePdf: record!.invoicePdf, subscriptionId: null, attempted: true,
    paymentIntent: record!.paymentIntentId ? { id: record!.paymentIntentId, status: result ? 'succeeded' : 'requires_action' } : null,
    charge: result ? { amountCaptured: record!.total, amountRefunded: 0, disputed: false } : null,
  };
  world.stripeLifecycle.invoices.set(life.id, life);
  return { record: record!, life };
}

const read = (world: World, id: string) => world.chargeLedger.invoices.byId(APP, id as InvoiceId);

describe('ReceiveStripeEvent', () => {
  let world: World;
  beforeEach(async () => {
    world = buildWorld();
    await world.webhookSecrets.set(APP, 'live', new Secret(SECRET), 'we_1', world.clock.now());
  });

  it('stores a correctly signed event once; a second delivery of it is a duplicate that changes nothing', async () => {
    const payload = eventJson('evt_1', 'invoice.paid', { object: 'invoice', id: 'in_1', parent: null });
    expect(await deliver(world, payload)).toEqual({ eventId: 'evt_1', duplicate: false });
    expect(await deliver(world, payload)).toEqual({ eventId: 'evt_1', duplicate: true });
    expect([...world.eventInbox.rows.values()]).toEqual([
      expect.objectContaining({ id: 'evt_1', type: 'invoice.paid', appId: APP, mode: 'live', subject: { invoiceId: 'in_1', paymentIntentId: null, subscriptionId: null, operationId: null } }),
    ]);
  });

  it.each([
    ['another secret', (payload: string) => ({ signature: signed(payload, 'whsec_notTheAppsSecret0000000000') }), /does not match/],
    ['an altered body', (payload: string) => ({ signature: signed(payload.replace('in_1', 'in_2')) }), /does not match/],
    ['a signature older than five minutes', (payload: string) => ({ signature: signed(payload, SECRET, Math.floor(Date.now() / 1000) - 301) }), /minutes old/],
    ['no signature', () => ({ signature: '' }), /missing/],
    ['a header that is no signature', () => ({ signature: 'nonsense' }), /cannot be read/],
    ['an unknown app', () => ({ appId: '00000000-0000-4000-8000-000000000999' }), /no webhook signing secret/],
    ["another app's id", () => ({ appId: OTHER_APP }), /no webhook signing secret/],
    ['a mode that is not live or test', () => ({ mode: 'prod' }), /no webhook signing secret/],
    ['the mode without a secret', () => ({ mode: 'test' }), /no webhook signing secret/],
  ] as const)('refuses a delivery with %s, and stores nothing', async (_name, change, reason) => {
    const payload = eventJson('evt_bad', 'invoice.paid', { object: 'invoice', id: 'in_1' });
    const error = await expectRejection(deliver(world, payload, change(payload)), WebhookRejected);
    expect(error.detail).toMatch(reason);
    expect(error.message).toBe("The webhook delivery was rejected: it cannot be verified as Stripe's for this app and mode.");
    expect(world.eventInbox.rows.size).toBe(0);
  });

  it('refuses a test-mode event sent to the live endpoint', async () => {
    const payload = eventJson('evt_test', 'invoice.paid', { object: 'invoice', id: 'in_1' }, false);
    await expectRejection(deliver(world, payload), WebhookRejected);
    expect(world.eventInbox.rows.size).toBe(0);
  });
});

describe('ProcessStripeEvents and ApplyStripeEvent', () => {
  let world: World;
  beforeEach(async () => {
    world = buildWorld();
    await world.webhookSecrets.set(APP, 'live', new Secret(SECRET), 'we_1', world.clock.now());
  });

  const process = () => world.useCases.processStripeEvents.run();

  it('applies what Stripe holds now, not what the event carried', async () => {
    const { record, life } = await charged(world, TENANTS.requiresAction);
    expect(record.paymentStatus).toBe('requires_action');
    world.stripeLifecycle.invoices.set(life.id, { ...life, status: 'paid', amountPaid: life.total, paymentIntent: { id: life.paymentIntent!.id, status: 'succeeded' } });
    world.clock.advance(1_000);
    // The event still shows the invoice open: the store follows Stripe's current state regardless.
    await deliver(world, eventJson('evt_paid', 'invoice.paid', { object: 'invoice', id: life.id, status: 'open' }));
    expect(await process()).toEqual([{ appId: APP, eventId: 'evt_paid', type: 'invoice.paid', outcome: 'applied' }]);
    expect(await read(world, life.id)).toMatchObject({ status: 'paid', paymentStatus: 'succeeded', amountPaid: life.total, createdAt: record.createdAt });
  });

  it('never lets an older reading replace a newer one', async () => {
    const { life } = await charged(world);
    world.clock.advance(10_000);
    world.stripeLifecycle.invoices.set(life.id, { ...life, charge: { amountCaptured: life.total, amountRefunded: life.total, disputed: false } });
    await deliver(world, eventJson('evt_refund', 'charge.refunded', { object: 'charge', id: 'ch_1', payment_intent: life.paymentIntent!.id }));
    await process();
    expect((await read(world, life.id))!.paymentStatus).toBe('refunded');
    // A reading taken earlier (a slow process) arrives late: it must not win.
    const stale = { ...(await read(world, life.id))!, paymentStatus: 'succeeded' as const, amountRefunded: 0, updatedAt: new Date(world.clock.now().getTime() - 5_000) };
    await world.chargeLedger.invoices.write(stale);
    expect((await read(world, life.id))!.paymentStatus).toBe('refunded');
  });

  it('finds the invoice of a PaymentIntent or charge event through its PaymentIntent', async () => {
    const { life } = await charged(world);
    world.clock.advance(1_000);
    world.stripeLifecycle.invoices.set(life.id, { ...life, charge: { amountCaptured: life.total, amountRefunded: 100, disputed: false } });
    await deliver(world, eventJson('evt_partial', 'charge.refunded', { object: 'charge', id: 'ch_1', payment_intent: life.paymentIntent!.id }));
    await process();
    expect(await read(world, life.id)).toMatchObject({ paymentStatus: 'partially_refunded', amountRefunded: 100 });
  });

  it('ignores events about objects this service did not create, keeping them as processed', async () => {
    await deliver(world, eventJson('evt_foreign', 'invoice.paid', { object: 'invoice', id: 'in_someoneElses', parent: null }));
    await deliver(world, eventJson('evt_customer', 'customer.created', { object: 'customer', id: 'cus_1' }));
    expect((await process()).map((entry) => entry.outcome)).toEqual(['ignored', 'ignored']);
    expect(world.stripeLifecycle.reads).toEqual([]);
    expect((await world.eventInbox.stats()).backlog).toBe(0);
  });

  it('keeps a renewal of a subscription it started as an invoice of its own, with the subscription status', async () => {
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body({ mode: 'subscription', price: 'price_monthly' }) });
    const first = [...world.chargeLedger.invoices.rows.values()].at(-1)!;
    const subscription = first.subscriptionId!;
    const renewal: InvoiceLife = {
      id: 'in_renewal', number: 'R-2', status: 'open', billingReason: 'subscription_cycle', livemode: true, currency: 'usd', subtotal: 999, tax: 190,
      total: 1189, amountDue: 1189, amountPaid: 0, hostedInvoiceUrl: null, invoicePdf: null, subscriptionId: subscription, attempted: true,
      paymentIntent: { id: 'pi_renewal', status: 'requires_payment_method' }, charge: null,
    };
    world.stripeLifecycle.invoices.set('in_renewal', renewal);
    world.stripeLifecycle.subscriptions.set(subscription, 'past_due');
    world.clock.advance(1_000);
    const parent = { subscription_details: { subscription } };
    await deliver(world, eventJson('evt_draft', 'invoice.created', { object: 'invoice', id: 'in_draft', parent }));
    world.stripeLifecycle.invoices.set('in_draft', { ...renewal, id: 'in_draft', status: 'draft' });
    await deliver(world, eventJson('evt_failed', 'invoice.payment_failed', { object: 'invoice', id: 'in_renewal', parent }));
    await process();
    expect(await read(world, 'in_draft')).toBeUndefined();
    expect(await read(world, 'in_renewal')).toMatchObject({
      tenantId: TENANTS.pays, userId: first.userId, operationId: first.operationId, mode: 'subscription', billingReason: 'subscription_cycle',
      status: 'open', paymentStatus: 'failed', subscriptionStatus: 'past_due',
    });
    expect((await read(world, first.id))!.subscriptionStatus).toBe('past_due');
  });

  it('leaves an event it cannot apply for later, then records it failed after the last attempt', async () => {
    const { life } = await charged(world);
    world.stripeAccounts.remove(APP, 'live');
    await deliver(world, eventJson('evt_later', 'invoice.paid', { object: 'invoice', id: life.id }));
    const first = await process();
    expect(first).toEqual([expect.objectContaining({ eventId: 'evt_later', outcome: 'retry', detail: expect.stringMatching(/no Stripe live key/) })]);
    expect(await process()).toEqual([]);
    for (let attempt = 2; attempt <= MAX_EVENT_ATTEMPTS; attempt += 1) {
      world.clock.advance(10 * 60_000);
      const [result] = await process();
      expect(result!.outcome).toBe(attempt === MAX_EVENT_ATTEMPTS ? 'failed' : 'retry');
    }
    expect((await world.eventInbox.stats()).backlog).toBe(0);
    // Once the key is back, reconciliation takes the failed event up again and applies it: nothing was lost.
    world.stripeAccounts.setKey(APP, 'live', STRIPE_KEYS.live);
    world.stripeLifecycle.invoices.set(life.id, { ...life, status: 'void' });
    const report = await world.useCases.reconcile.run();
    expect(report.events.reopened).toBe(1);
    expect(report.events.processed).toEqual([expect.objectContaining({ eventId: 'evt_later', outcome: 'applied' })]);
    expect((await read(world, life.id))!.status).toBe('void');
  });

  it("waits for a charge of this service to record its invoice before applying an event about it, then gives up", async () => {
    const operationId = '00000000-0000-4000-8000-00000000abcd';
    await deliver(world, eventJson('evt_early', 'invoice.paid', { object: 'invoice', id: 'in_notYet', metadata: { operationId } }, true, world.clock.now()));
    expect(await process()).toEqual([expect.objectContaining({ eventId: 'evt_early', outcome: 'retry', detail: expect.stringMatching(/not recorded it yet/) })]);
    await deliver(world, eventJson('evt_foreign_meta', 'invoice.paid', { object: 'invoice', id: 'in_foreign' }));
    world.clock.advance(20 * 60_000);
    // Past the wait, an invoice nobody recorded is somebody else's: ignored. One without our metadata at once.
    const outcomes = Object.fromEntries((await process()).map((entry) => [entry.eventId, entry.outcome]));
    expect(outcomes).toEqual({ evt_foreign_meta: 'ignored', evt_early: 'ignored' });
  });

  it('reads a renewal whose event names its subscription the pre-2025 way (a top-level field)', async () => {
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body({ mode: 'subscription', price: 'price_monthly' }) });
    const subscription = [...world.chargeLedger.invoices.rows.values()].at(-1)!.subscriptionId!;
    world.stripeLifecycle.invoices.set('in_legacy', {
      id: 'in_legacy', number: 'L-2', status: 'paid', billingReason: 'subscription_cycle', livemode: true, currency: 'usd', subtotal: 999, tax: 190,
      total: 1189, amountDue: 1189, amountPaid: 1189, hostedInvoiceUrl: null, invoicePdf: null, subscriptionId: subscription, attempted: true,
      paymentIntent: { id: 'pi_legacy', status: 'succeeded' }, charge: { amountCaptured: 1189, amountRefunded: 0, disputed: false },
    });
    world.stripeLifecycle.subscriptions.set(subscription, 'active');
    world.clock.advance(1_000);
    await deliver(world, eventJson('evt_legacy', 'invoice.paid', { object: 'invoice', id: 'in_legacy', subscription }));
    await process();
    expect(await read(world, 'in_legacy')).toMatchObject({ billingReason: 'subscription_cycle', paymentStatus: 'succeeded', subscriptionStatus: 'active' });
  });

  it('catches up from Stripe the events that never arrived, once', async () => {
    const { life } = await charged(world);
    world.stripeLifecycle.invoices.set(life.id, { ...life, charge: { amountCaptured: life.total, amountRefunded: 0, disputed: true } });
    world.clock.advance(1_000);
    const lost = { id: 'evt_lost', type: 'charge.dispute.created', created: world.clock.now(), livemode: true, payload: '{}', subject: { invoiceId: null, paymentIntentId: life.paymentIntent!.id, subscriptionId: null, operationId: null } };
    world.stripeLifecycle.events.push(lost);
    const caughtUp = await world.useCases.catchUpStripeEvents.run();
    expect(caughtUp.find((entry) => entry.appId === APP && entry.mode === 'live')).toMatchObject({ read: 1, added: 1 });
    expect((await world.useCases.catchUpStripeEvents.run()).find((entry) => entry.appId === APP && entry.mode === 'live')).toMatchObject({ added: 0 });
    await process();
    expect((await read(world, life.id))!.paymentStatus).toBe('disputed');
  });
});

describe('the events of one app never touch another app', () => {
  it("does not apply an event received for one app to an invoice of another app", async () => {
    const world = buildWorld();
    const { life } = await charged(world);
    await world.webhookSecrets.set(OTHER_APP, 'live', new Secret(SECRET), null, world.clock.now());
    world.stripeLifecycle.invoices.set(life.id, { ...life, status: 'void' });
    world.clock.advance(1_000);
    await deliver(world, eventJson('evt_other', 'invoice.voided', { object: 'invoice', id: life.id }), { appId: OTHER_APP as AppId });
    expect((await world.useCases.processStripeEvents.run()).map((entry) => entry.outcome)).toEqual(['ignored']);
    expect((await read(world, life.id))!.status).toBe('paid');
  });
});
