import type Stripe from 'stripe';
import { type EmulatorEnv, basics, emulatorForEachTest, sdkFor } from './emulator-support';

let env: EmulatorEnv;
let stripe: Stripe;
emulatorForEachTest((made) => ({ env, stripe } = made));

async function paidInvoice(card = 'pm_card_visa', key = 'charge-1') {
  const { customer, price, taxRate } = await basics(stripe, card);
  const invoice = await stripe.invoices.create({ customer }, { idempotencyKey: `${key}-create` });
  await stripe.invoices.addLines(invoice.id, { lines: [{ pricing: { price }, quantity: 2, tax_rates: [taxRate] }] });
  const paid = await stripe.invoices.pay(invoice.id, { off_session: true }, { idempotencyKey: `${key}-pay` }).catch(() => undefined);
  return { invoice: invoice.id, customer, paid };
}

describe('the emulator: events', () => {
  it('records every state change of a charge as the events Stripe sends, oldest last, with the causing request', async () => {
    const { invoice } = await paidInvoice();
    const events = (await stripe.events.list({ limit: 100 })).data;
    const aboutInvoice = events.filter((event) => (event.data.object as { id?: string }).id === invoice).map((event) => event.type).reverse();
    expect(aboutInvoice).toEqual(['invoice.created', 'invoice.updated', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded']);
    const types = events.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['payment_intent.created', 'payment_intent.succeeded', 'charge.succeeded', 'customer.created']));
    const paid = events.find((event) => event.type === 'invoice.paid')!;
    expect(paid).toMatchObject({ object: 'event', livemode: false, api_version: '2026-10-28.endive', request: { idempotency_key: 'charge-1-pay' } });
    expect(paid.request!.id).toMatch(/^req_/);
    // Paying a draft finalizes it in the same request: what the event says came before is the state before the request.
    expect(paid.data.previous_attributes).toMatchObject({ status: 'draft' });
    expect((paid.data.object as Stripe.Invoice).status).toBe('paid');
    expect((await stripe.events.retrieve(paid.id)).id).toBe(paid.id);
  });

  it('announces a declined payment and a 3-D Secure one as Stripe does', async () => {
    await paidInvoice('pm_card_chargeCustomerFail', 'declined');
    await paidInvoice('pm_card_authenticationRequired', 'action');
    const types = (await stripe.events.list({ limit: 100 })).data.map((event) => event.type);
    expect(types).toEqual(expect.arrayContaining(['invoice.payment_failed', 'payment_intent.payment_failed', 'invoice.payment_action_required', 'payment_intent.requires_action']));
    expect(types).not.toContain('invoice.paid');
  });

  it('lists by type, types, creation time and page, newest first', async () => {
    await paidInvoice('pm_card_visa', 'a');
    await paidInvoice('pm_card_visa', 'b');
    const paid = await stripe.events.list({ type: 'invoice.paid' });
    expect(paid.data).toHaveLength(2);
    expect(paid.data[0]!.created).toBeGreaterThanOrEqual(paid.data[1]!.created);
    const wildcard = await stripe.events.list({ type: 'invoice.*', limit: 100 });
    expect(wildcard.data.every((event) => event.type.startsWith('invoice.'))).toBe(true);
    const two = await stripe.events.list({ types: ['invoice.paid', 'charge.succeeded'] });
    expect(two.data.map((event) => event.type).sort()).toEqual(['charge.succeeded', 'charge.succeeded', 'invoice.paid', 'invoice.paid']);
    const future = await stripe.events.list({ created: { gt: Math.floor(Date.now() / 1000) + 60 } });
    expect(future.data).toEqual([]);

    const all = (await stripe.events.list({ limit: 100 })).data.map((event) => event.id);
    const pages: string[] = [];
    for await (const event of stripe.events.list({ limit: 3 })) pages.push(event.id);
    expect(pages).toEqual(all);
    const back = await stripe.events.list({ ending_before: all[5]!, limit: 2 });
    expect(back.data.map((event) => event.id)).toEqual(all.slice(3, 5));
  });

  it('keeps the newest events up to the retention', async () => {
    await env.control('POST', 'config', { eventRetention: 5 });
    await paidInvoice();
    expect((await stripe.events.list({ limit: 100 })).data).toHaveLength(5);
  });

  it('keeps each account and mode to itself', async () => {
    await paidInvoice();
    expect((await sdkFor(env.emulator, 'sk_live_acme').events.list()).data).toEqual([]);
    expect((await sdkFor(env.emulator, 'sk_test_other').events.list()).data).toEqual([]);
  });
});
