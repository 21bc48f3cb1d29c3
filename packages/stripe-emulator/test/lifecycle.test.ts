import type Stripe from 'stripe';
import { type EmulatorEnv, basics, emulatorForEachTest, sdkFor } from './emulator-support';

let env: EmulatorEnv;
let stripe: Stripe;
emulatorForEachTest((made) => ({ env, stripe } = made));

async function charge(card: string) {
  const { customer, price } = await basics(stripe, card);
  const invoice = await stripe.invoices.create({ customer });
  await stripe.invoices.addLines(invoice.id, { lines: [{ pricing: { price }, quantity: 3 }] });
  await stripe.invoices.pay(invoice.id, { off_session: true }).catch(() => undefined);
  const paid = await stripe.invoices.retrieve(invoice.id, { expand: ['payments.data.payment.payment_intent'] });
  const intent = paid.payments!.data[0]!.payment.payment_intent as Stripe.PaymentIntent;
  return { invoice: paid, intent };
}

const typesSince = async (after: number) =>
  (await stripe.events.list({ limit: 100, created: { gte: after } })).data.map((event) => event.type);

describe('the emulator: 3-D Secure played by the customer', () => {
  it('pays the invoice when authentication succeeds', async () => {
    const { invoice, intent } = await charge('pm_card_authenticationRequired');
    expect(intent.status).toBe('requires_action');
    const answer = await env.control('POST', `payment_intents/${intent.id}/authenticate`, { outcome: 'succeeded' });
    expect(answer).toMatchObject({ status: 200, body: { status: 'succeeded' } });
    expect(await stripe.invoices.retrieve(invoice.id)).toMatchObject({ status: 'paid', amount_paid: invoice.amount_due });
    const types = await typesSince(invoice.created);
    expect(types).toEqual(expect.arrayContaining(['invoice.paid', 'payment_intent.succeeded', 'charge.succeeded']));
  });

  it('leaves the invoice open and the PaymentIntent needing a payment method when authentication fails', async () => {
    const { invoice, intent } = await charge('pm_card_authenticationRequired');
    await env.control('POST', `payment_intents/${intent.id}/authenticate`, { outcome: 'failed' });
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe('open');
    const failed = await stripe.paymentIntents.retrieve(intent.id);
    expect(failed).toMatchObject({ status: 'requires_payment_method', last_payment_error: { code: 'payment_intent_authentication_failure' } });
    const [latest] = (await stripe.events.list({ type: 'invoice.payment_failed' })).data;
    expect((latest!.data.object as Stripe.Invoice).id).toBe(invoice.id);
  });

  it('refuses to authenticate a PaymentIntent that does not need it, and an unknown one', async () => {
    const { intent } = await charge('pm_card_visa');
    expect((await env.control('POST', `payment_intents/${intent.id}/authenticate`, { outcome: 'succeeded' })).status).toBe(400);
    expect((await env.control('POST', 'payment_intents/pi_unknown/authenticate', { outcome: 'succeeded' })).status).toBe(404);
    expect((await env.control('POST', `payment_intents/${intent.id}/authenticate`, { outcome: 'maybe' })).status).toBe(400);
  });

  it('offers both answers on the hosted invoice page, and its buttons work', async () => {
    const { invoice, intent } = await charge('pm_card_authenticationRequired');
    const page = await (await fetch(invoice.hosted_invoice_url!)).text();
    expect(page).toContain(`/_emulator/payment_intents/${intent.id}/authenticate`);
    expect(page).toMatch(/Complete authentication[\s\S]*Fail authentication/);
    const pressed = await fetch(`${env.emulator.url}/_emulator/payment_intents/${intent.id}/authenticate`, {
      method: 'POST', body: 'outcome=succeeded', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, redirect: 'manual',
    });
    expect(pressed.status).toBe(303);
    expect(pressed.headers.get('location')).toBe(`/_emulator/hosted/invoices/${invoice.id}`);
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe('paid');
    expect(await (await fetch(invoice.hosted_invoice_url!)).text()).not.toContain('Complete authentication');
  });
});

describe('the emulator: refunds and disputes', () => {
  it('refunds part, then the rest, and refuses more than is left', async () => {
    const { intent } = await charge('pm_card_visa');
    const part = await stripe.refunds.create({ payment_intent: intent.id, amount: 1000 });
    expect(part).toMatchObject({ object: 'refund', amount: 1000, status: 'succeeded', payment_intent: intent.id });
    await expect(stripe.refunds.create({ payment_intent: intent.id, amount: intent.amount })).rejects.toMatchObject({ code: 'amount_too_large' });
    const rest = await stripe.refunds.create({ payment_intent: intent.id });
    expect(rest.amount).toBe(intent.amount - 1000);
    const chargeId = String((await stripe.paymentIntents.retrieve(intent.id)).latest_charge);
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: intent.amount, refunded: true });
    await expect(stripe.refunds.create({ charge: chargeId })).rejects.toMatchObject({ code: 'charge_already_refunded' });
    const refunded = (await stripe.events.list({ type: 'charge.refunded' })).data;
    expect(refunded.map((event) => (event.data.object as Stripe.Charge).amount_refunded)).toEqual([intent.amount, 1000]);
    expect((await stripe.events.list({ type: 'refund.created' })).data).toHaveLength(2);
  });

  it('refuses to refund what made no charge', async () => {
    const { intent } = await charge('pm_card_chargeCustomerFail');
    await expect(stripe.refunds.create({ payment_intent: intent.id })).rejects.toMatchObject({ statusCode: 400 });
  });

  it('opens a dispute on the charge, refuses refunds then, and closes it', async () => {
    const { intent } = await charge('pm_card_visa');
    const opened = await env.control('POST', `payment_intents/${intent.id}/dispute`, { reason: 'fraudulent' });
    expect(opened.body).toMatchObject({ object: 'dispute', status: 'needs_response', amount: intent.amount, payment_intent: intent.id });
    const chargeId = String((await stripe.paymentIntents.retrieve(intent.id)).latest_charge);
    expect((await stripe.charges.retrieve(chargeId)).disputed).toBe(true);
    await expect(stripe.refunds.create({ payment_intent: intent.id })).rejects.toMatchObject({ code: 'charge_disputed' });
    const id = (opened.body as { id: string }).id;
    expect((await env.control('POST', `disputes/${id}/close`, { outcome: 'lost' })).body).toMatchObject({ status: 'lost' });
    const types = (await stripe.events.list({ type: 'charge.dispute.*' })).data.map((event) => event.type);
    expect(types).toEqual(['charge.dispute.closed', 'charge.dispute.created']);
  });
});

describe('the emulator: test clocks', () => {
  async function subscribed(card: string) {
    const start = Math.floor(Date.UTC(2027, 0, 1) / 1000);
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start, name: 'renewals' });
    const customer = await stripe.customers.create({ test_clock: clock.id, payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const { price } = await basics(stripe);
    const recurring = await stripe.prices.create({ currency: 'usd', unit_amount: 999, recurring: { interval: 'month' }, product: (await stripe.prices.retrieve(price)).product as string });
    const subscription = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: recurring.id }], off_session: true });
    if (card !== 'pm_card_visa') {
      const method = await stripe.paymentMethods.attach(card, { customer: customer.id });
      await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: method.id } });
    }
    return { start, clock, subscription };
  }

  it('renews a subscription on its clock: a new invoice per period, charged to the default card', async () => {
    const { start, clock, subscription } = await subscribed('pm_card_visa');
    expect(subscription).toMatchObject({ status: 'active', start_date: start, test_clock: clock.id });
    const advanced = await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start + 65 * 86_400 + 3_600 });
    expect(advanced).toMatchObject({ status: 'ready', frozen_time: start + 65 * 86_400 + 3_600 });
    const invoices = (await stripe.events.list({ type: 'invoice.paid', limit: 10 })).data.map((event) => event.data.object as Stripe.Invoice);
    expect(invoices.map((invoice) => invoice.billing_reason)).toEqual(['subscription_cycle', 'subscription_cycle', 'subscription_create']);
    expect(invoices.every((invoice) => invoice.parent?.subscription_details?.subscription === subscription.id)).toBe(true);
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('active');
  });

  it('keeps a renewal a draft for an hour, as Stripe does, then finalizes and charges it', async () => {
    const { start, clock, subscription } = await subscribed('pm_card_visa');
    const periodEnd = subscription.items.data[0]!.current_period_end;
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: periodEnd });
    const [created] = (await stripe.events.list({ type: 'invoice.created', limit: 1 })).data;
    const draft = created!.data.object as Stripe.Invoice;
    expect(draft).toMatchObject({ status: 'draft', billing_reason: 'subscription_cycle', created: periodEnd });
    expect((await stripe.invoices.retrieve(draft.id)).status).toBe('draft');
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: periodEnd + 3_600 });
    expect(await stripe.invoices.retrieve(draft.id)).toMatchObject({ status: 'paid', amount_paid: draft.total });
    expect(start).toBeLessThan(periodEnd);
  });

  it('leaves a renewal with a declining card open and the subscription past_due', async () => {
    const { start, clock, subscription } = await subscribed('pm_card_chargeCustomerFail');
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start + 31 * 86_400 + 3_600 });
    expect((await stripe.subscriptions.retrieve(subscription.id)).status).toBe('past_due');
    const [failed] = (await stripe.events.list({ type: 'invoice.payment_failed' })).data;
    expect(failed!.data.object).toMatchObject({ billing_reason: 'subscription_cycle', status: 'open' });
    expect((await stripe.events.list({ type: 'customer.subscription.updated' })).data[0]!.data.previous_attributes).toMatchObject({ status: 'active' });
  });

  it('refuses to go back in time, and exists in test mode only', async () => {
    const { start, clock } = await subscribed('pm_card_visa');
    await expect(stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start - 1 })).rejects.toMatchObject({ statusCode: 400 });
    await expect(sdkFor(env.emulator, 'sk_live_acme').testHelpers.testClocks.create({ frozen_time: start })).rejects.toMatchObject({ statusCode: 400 });
  });
});
