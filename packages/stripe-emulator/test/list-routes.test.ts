import Stripe from 'stripe';
import { type EmulatorEnv, basics, emulatorForEachTest, sdkFor } from './emulator-support';

let env: EmulatorEnv;
let stripe: Stripe;
emulatorForEachTest((made) => ({ env, stripe } = made));

async function customers(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push((await stripe.customers.create({ name: `c${index}` })).id);
  return ids;
}

async function paidInvoice(card = 'pm_card_visa') {
  const { customer, price } = await basics(stripe, card);
  const invoice = await stripe.invoices.create({ customer });
  await stripe.invoices.addLines(invoice.id, { lines: [{ pricing: { price } }] });
  await stripe.invoices.pay(invoice.id, { off_session: true }).catch(() => undefined);
  const paid = await stripe.invoices.retrieve(invoice.id, { expand: ['payments.data.payment.payment_intent'] });
  return { customer, invoice: paid, intent: paid.payments!.data[0]!.payment.payment_intent as Stripe.PaymentIntent };
}

const listCalls = () => env.log().filter((entry) => entry.operation === 'customer.list').length;

describe('the emulator: list routes with Stripe pagination', () => {
  it("answers Stripe's list envelope, newest first, 10 by default", async () => {
    const ids = await customers(12);
    const page = await stripe.customers.list();
    expect(page).toMatchObject({ object: 'list', url: '/v1/customers', has_more: true });
    expect(page.data.map((customer) => customer.id)).toEqual(ids.slice().reverse().slice(0, 10));
    expect(Object.keys(page).filter((key) => key !== 'lastResponse').sort()).toEqual(['data', 'has_more', 'object', 'url']);
  });

  it('walks every page with the SDK: autoPagingToArray and for await, page by page', async () => {
    const ids = await customers(23);
    const before = listCalls();
    const all = await stripe.customers.list({ limit: 10 }).autoPagingToArray({ limit: 100 });
    expect(all.map((customer) => customer.id)).toEqual(ids.slice().reverse());
    expect(listCalls() - before).toBe(3);
    const walked: string[] = [];
    for await (const customer of stripe.customers.list({ limit: 7 })) walked.push(customer.id);
    expect(walked).toEqual(ids.slice().reverse());
  });

  it('pages forward with starting_after and back with ending_before, each page newest first', async () => {
    const newest = (await customers(6)).reverse();
    const second = await stripe.customers.list({ limit: 2, starting_after: newest[1]! });
    expect(second.data.map((customer) => customer.id)).toEqual(newest.slice(2, 4));
    expect(second.has_more).toBe(true);
    const last = await stripe.customers.list({ limit: 2, starting_after: newest[3]! });
    expect(last).toMatchObject({ has_more: false });
    const back = await stripe.customers.list({ limit: 2, ending_before: newest[4]! });
    expect(back.data.map((customer) => customer.id)).toEqual(newest.slice(2, 4));
    expect(back.has_more).toBe(true);
    const backwards = await stripe.customers.list({ limit: 2, ending_before: newest[5]! }).autoPagingToArray({ limit: 100 });
    expect(backwards.map((customer) => customer.id)).toEqual(newest.slice(0, 5).reverse());
  });

  it('orders by created, not by when the emulator stored the object', async () => {
    const { customer } = await basics(stripe);
    const now = await stripe.invoices.create({ customer });
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000) - 86_400 * 365 });
    const clocked = await stripe.customers.create({ test_clock: clock.id, payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const recurring = await stripe.prices.create({ currency: 'usd', unit_amount: 500, product_data: { name: 'Plan' }, recurring: { interval: 'month' } });
    const subscription = await stripe.subscriptions.create({ customer: clocked.id, items: [{ price: recurring.id }] });
    const listed = (await stripe.invoices.list()).data.map((invoice) => invoice.id);
    expect(listed).toEqual([now.id, subscription.latest_invoice]);
  });

  it('refuses what Stripe refuses: a limit outside 1–100, both cursors, an unknown cursor, an unknown parameter', async () => {
    const [id] = await customers(1);
    await expect(stripe.customers.list({ limit: 0 })).rejects.toMatchObject({ statusCode: 400, param: 'limit' });
    await expect(stripe.customers.list({ limit: 101 })).rejects.toMatchObject({ statusCode: 400, param: 'limit' });
    await expect(stripe.customers.list({ starting_after: id!, ending_before: id! })).rejects.toMatchObject({ statusCode: 400 });
    await expect(stripe.customers.list({ starting_after: 'cus_missing' })).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'starting_after' });
    const unknown = await stripe.invoices.list({ colour: 'red' } as never).then(() => undefined, (error: unknown) => error);
    expect(unknown).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(unknown).toMatchObject({ message: 'Received unknown parameter: colour', param: 'colour' });
    await expect(stripe.invoices.list({ status: 'unpaid' as never })).rejects.toMatchObject({ statusCode: 400, param: 'status' });
  });

  it('filters by created: an exact time or a range', async () => {
    const { id: first, created } = await stripe.customers.create({});
    await stripe.customers.create({});
    expect((await stripe.customers.list({ created: { gte: created } })).data).toHaveLength(2);
    expect((await stripe.customers.list({ created: { gt: created + 60 } })).data).toEqual([]);
    expect((await stripe.customers.list({ created: { lt: created } })).data).toEqual([]);
    expect((await stripe.customers.list({ created: { lte: created + 60 } })).data).toHaveLength(2);
    expect((await stripe.customers.list({ created })).data.map((customer) => customer.id)).toContain(first);
  });

  it('expands inside a list (expand[]=data.customer)', async () => {
    const { customer } = await paidInvoice();
    const [invoice] = (await stripe.invoices.list({ expand: ['data.customer'] })).data;
    expect(invoice!.customer).toMatchObject({ object: 'customer', id: customer });
  });

  it('keeps each account and mode to itself', async () => {
    await customers(2);
    expect((await sdkFor(env.emulator, 'sk_live_acme').customers.list()).data).toEqual([]);
    expect((await sdkFor(env.emulator, 'sk_test_other').customers.list()).data).toEqual([]);
  });
});

describe('the emulator: the lists of each modelled object, with their filters', () => {
  it('customers by email; customers of a test clock only when the clock is named', async () => {
    await stripe.customers.create({ email: 'a@example.com' });
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.now() / 1000) });
    const clocked = await stripe.customers.create({ email: 'a@example.com', test_clock: clock.id });
    expect((await stripe.customers.list({ email: 'a@example.com' })).data).toHaveLength(1);
    expect((await stripe.customers.list({ test_clock: clock.id })).data.map((customer) => customer.id)).toEqual([clocked.id]);
    expect((await stripe.testHelpers.testClocks.list()).data.map((listed) => listed.id)).toEqual([clock.id]);
  });

  it('invoices by customer, status and subscription', async () => {
    const paid = await paidInvoice();
    const { customer } = await basics(stripe);
    const draft = await stripe.invoices.create({ customer });
    expect((await stripe.invoices.list({ customer })).data.map((invoice) => invoice.id)).toEqual([draft.id]);
    expect((await stripe.invoices.list({ status: 'paid' })).data.map((invoice) => invoice.id)).toEqual([paid.invoice.id]);
    expect((await stripe.invoices.list({ status: 'draft', customer: paid.customer })).data).toEqual([]);
    expect((await stripe.invoices.list({ subscription: 'sub_none' })).data).toEqual([]);
  });

  it('subscriptions: canceled ones only when asked for, by customer and price', async () => {
    const { customer } = await basics(stripe);
    const recurring = await stripe.prices.create({ currency: 'usd', unit_amount: 500, product_data: { name: 'Plan' }, recurring: { interval: 'month' } });
    const kept = await stripe.subscriptions.create({ customer, items: [{ price: recurring.id }] });
    const canceled = await stripe.subscriptions.create({ customer, items: [{ price: recurring.id }] });
    await stripe.subscriptions.cancel(canceled.id);
    expect((await stripe.subscriptions.list()).data.map((subscription) => subscription.id)).toEqual([kept.id]);
    expect((await stripe.subscriptions.list({ status: 'canceled' })).data.map((subscription) => subscription.id)).toEqual([canceled.id]);
    expect((await stripe.subscriptions.list({ status: 'all' })).data).toHaveLength(2);
    expect((await stripe.subscriptions.list({ status: 'ended' })).data).toHaveLength(1);
    expect((await stripe.subscriptions.list({ customer, price: recurring.id })).data).toHaveLength(1);
    expect((await stripe.subscriptions.list({ price: 'price_other' })).data).toEqual([]);
    const [invoiceOfKept] = (await stripe.invoices.list({ subscription: kept.id })).data;
    expect(invoiceOfKept!.id).toBe(kept.latest_invoice);
  });

  it('payment intents, charges, refunds and disputes, by customer, payment intent and charge', async () => {
    const first = await paidInvoice();
    const second = await paidInvoice();
    const intents = await stripe.paymentIntents.list({ customer: first.customer });
    expect(intents.data.map((intent) => intent.id)).toEqual([first.intent.id]);
    expect((await stripe.paymentIntents.list()).data).toHaveLength(2);
    const [charge] = (await stripe.charges.list({ customer: second.customer })).data;
    expect(charge).toMatchObject({ object: 'charge', payment_intent: second.intent.id });
    expect((await stripe.charges.list({ payment_intent: first.intent.id })).data).toHaveLength(1);
    const refund = await stripe.refunds.create({ payment_intent: first.intent.id, amount: 100 });
    expect((await stripe.refunds.list({ payment_intent: first.intent.id })).data.map((listed) => listed.id)).toEqual([refund.id]);
    expect((await stripe.refunds.list({ charge: charge!.id })).data).toEqual([]);
    const dispute = (await env.control('POST', `payment_intents/${second.intent.id}/dispute`, {})).body as Stripe.Dispute;
    expect((await stripe.disputes.list({ charge: charge!.id })).data.map((listed) => listed.id)).toEqual([dispute.id]);
    expect((await stripe.disputes.list({ payment_intent: first.intent.id })).data).toEqual([]);
  });

  it('products, prices and tax rates, by their documented filters', async () => {
    const { price, taxRate } = await basics(stripe);
    const recurring = await stripe.prices.create({ currency: 'eur', unit_amount: 500, product_data: { name: 'Plan' }, recurring: { interval: 'year' } });
    await stripe.prices.update(recurring.id, { active: false });
    const product = (await stripe.prices.retrieve(price)).product as string;
    expect((await stripe.products.list()).data).toHaveLength(2);
    expect((await stripe.products.list({ ids: [product] })).data.map((listed) => listed.id)).toEqual([product]);
    expect((await stripe.prices.list({ type: 'recurring' })).data.map((listed) => listed.id)).toEqual([recurring.id]);
    expect((await stripe.prices.list({ active: true })).data.map((listed) => listed.id)).toEqual([price]);
    expect((await stripe.prices.list({ currency: 'eur', recurring: { interval: 'year' } })).data).toHaveLength(1);
    expect((await stripe.prices.list({ product })).data.map((listed) => listed.id)).toEqual([price]);
    expect((await stripe.taxRates.list({ inclusive: false })).data.map((listed) => listed.id)).toEqual([taxRate]);
    expect((await stripe.taxRates.list({ inclusive: true })).data).toEqual([]);
  });

  it("payment methods, and a customer's own", async () => {
    const { customer } = await basics(stripe);
    await basics(stripe, 'pm_card_chargeCustomerFail');
    const [method] = (await stripe.paymentMethods.list({ customer })).data;
    expect(method).toMatchObject({ object: 'payment_method', customer, type: 'card' });
    const own = await stripe.customers.listPaymentMethods(customer, { type: 'card' });
    expect(own).toMatchObject({ object: 'list', url: `/v1/customers/${customer}/payment_methods`, data: [{ id: method!.id }] });
    expect((await stripe.paymentMethods.list()).data).toHaveLength(2);
    await expect(stripe.customers.listPaymentMethods('cus_missing')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('invoice items, pending or on an invoice', async () => {
    const { customer, price } = await basics(stripe);
    const pending = await stripe.invoiceItems.create({ customer, pricing: { price } });
    const invoice = await stripe.invoices.create({ customer });
    const placed = await stripe.invoiceItems.create({ customer, pricing: { price }, invoice: invoice.id });
    expect((await stripe.invoiceItems.list({ pending: true })).data.map((item) => item.id)).toEqual([pending.id]);
    expect((await stripe.invoiceItems.list({ invoice: invoice.id })).data.map((item) => item.id)).toEqual([placed.id]);
    expect((await stripe.invoiceItems.list({ customer })).data).toHaveLength(2);
  });

  it('webhook endpoints page as the other lists do', async () => {
    const urls = ['https://a.example/hook', 'https://b.example/hook', 'https://c.example/hook'];
    for (const url of urls) await stripe.webhookEndpoints.create({ url, enabled_events: ['*'] });
    const all = await stripe.webhookEndpoints.list({ limit: 2 }).autoPagingToArray({ limit: 10 });
    expect(all.map((endpoint) => endpoint.url)).toEqual(urls.slice().reverse());
  });
});
