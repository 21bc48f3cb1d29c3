import Stripe from 'stripe';
import { type EmulatorEnv, basics, emulatorForEachTest, sdkFor } from './emulator-support';

let env: EmulatorEnv;
let stripe: Stripe;
emulatorForEachTest((made) => ({ env, stripe } = made));

async function rejection(promise: Promise<unknown>): Promise<Stripe.errors.StripeError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(Stripe.errors.StripeError);
  return error as Stripe.errors.StripeError;
}

describe('the emulator: Stripe idempotency', () => {
  it('replays the stored answer for the same key and parameters', async () => {
    const { customer } = await basics(stripe);
    const first = await stripe.invoices.create({ customer, metadata: { n: '1' } }, { idempotencyKey: 'k-1' });
    const second = await stripe.invoices.create({ customer, metadata: { n: '1' } }, { idempotencyKey: 'k-1' });
    expect(second.id).toBe(first.id);
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(env.stats().test.invoices).toBe(1);
  });

  it('refuses the same key with other parameters or on another endpoint', async () => {
    const { customer } = await basics(stripe);
    await stripe.invoices.create({ customer }, { idempotencyKey: 'k-2' });
    const otherParameters = await rejection(stripe.invoices.create({ customer, footer: 'x' }, { idempotencyKey: 'k-2' }));
    expect(otherParameters).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(otherParameters.statusCode).toBe(400);
    const otherEndpoint = await rejection(stripe.customers.create({}, { idempotencyKey: 'k-2' }));
    expect(otherEndpoint.message).toMatch(/same endpoint/);
    expect(env.stats().test.invoices).toBe(1);
  });

  it('answers 409 while the first request with the key is still running', async () => {
    const { customer } = await basics(stripe);
    await env.fault({ operation: 'invoice.create', kind: 'timeout', delayMs: 300 });
    const first = stripe.invoices.create({ customer }, { idempotencyKey: 'k-3' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const concurrent = await rejection(stripe.invoices.create({ customer }, { idempotencyKey: 'k-3' }));
    expect(concurrent.statusCode).toBe(409);
    const finished = await first;
    expect((await stripe.invoices.create({ customer }, { idempotencyKey: 'k-3' })).id).toBe(finished.id);
  });

  it('scopes keys per account and mode', async () => {
    const live = sdkFor(env.emulator, 'sk_live_acme');
    const other = sdkFor(env.emulator, 'sk_test_other');
    const testCustomer = await stripe.customers.create({ name: 'a' }, { idempotencyKey: 'k-4' });
    const liveCustomer = await live.customers.create({ name: 'a' }, { idempotencyKey: 'k-4' });
    const otherCustomer = await other.customers.create({ name: 'a' }, { idempotencyKey: 'k-4' });
    expect(new Set([testCustomer.id, liveCustomer.id, otherCustomer.id]).size).toBe(3);
    expect(liveCustomer.livemode).toBe(true);
    await expect(live.customers.retrieve(testCustomer.id)).rejects.toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });
});

describe('the emulator: expand', () => {
  it('expands up to four levels and refuses a fifth, as Stripe does', async () => {
    const { customer, price } = await basics(stripe);
    const recurring = await stripe.prices.create({ currency: 'usd', unit_amount: 500, product_data: { name: 'Plan' }, recurring: { interval: 'month' } });
    const invoice = await stripe.invoices.create({ customer });
    await stripe.invoices.addLines(invoice.id, { lines: [{ pricing: { price } }] });
    const paid = await stripe.invoices.pay(invoice.id, { expand: ['payments.data.payment.payment_intent'] });
    const intent = paid.payments?.data[0]?.payment.payment_intent as Stripe.PaymentIntent;
    expect(intent).toMatchObject({ object: 'payment_intent', status: 'succeeded' });

    const tooDeep = await rejection(
      stripe.subscriptions.create({ customer, items: [{ price: recurring.id }], expand: ['latest_invoice.payments.data.payment.payment_intent'] }),
    );
    expect(tooDeep.message).toBe('You cannot expand more than 4 levels of a property. Property: latest_invoice.payments.data.payment.payment_intent');
    expect(env.stats().test.subscriptions).toBe(0);
    const notExpandable = await rejection(stripe.invoices.retrieve(invoice.id, { expand: ['footer'] }));
    expect(notExpandable.message).toBe('This property cannot be expanded (footer).');
  });

  it('leaves an invoice without payments unless they are expanded', async () => {
    const { customer } = await basics(stripe);
    const invoice = await stripe.invoices.create({ customer });
    expect(invoice.payments).toBeUndefined();
    expect((await stripe.invoices.retrieve(invoice.id, { expand: ['payments'] })).payments).toMatchObject({ object: 'list', data: [] });
  });
});

describe('the emulator: tax amounts as Stripe computes them', () => {
  async function draftTotals(currency: string, unitAmount: number, quantity: number, percentage: number, inclusive: boolean) {
    const customer = await stripe.customers.create({});
    const price = await stripe.prices.create({
      currency, unit_amount: unitAmount, product_data: { name: 'x' }, tax_behavior: inclusive ? 'inclusive' : 'exclusive',
    });
    const rate = await stripe.taxRates.create({ display_name: 'Tax', percentage, inclusive });
    const invoice = await stripe.invoices.create({ customer: customer.id, currency });
    const drafted = await stripe.invoices.addLines(invoice.id, { lines: [{ pricing: { price: price.id }, quantity, tax_rates: [rate.id] }] });
    const tax = (drafted.total_taxes ?? []).reduce((sum, entry) => sum + entry.amount, 0);
    return { subtotal: drafted.subtotal, tax, total: drafted.total, excluding: drafted.total_excluding_tax };
  }

  type Case = [string, number, number, number, boolean, number, number, number, string];
  it.each<Case>([
    // [currency, unit, quantity, %, inclusive, subtotal, tax, total, worked by hand]
    ['usd', 1999, 3, 19, false, 5997, 1139, 7136, '5997 × 0.19 = 1139.43'],
    ['usd', 50, 1, 5, false, 50, 3, 53, '2.5 ties up to 3'],
    ['usd', 49, 1, 5, false, 49, 2, 51, '2.45 rounds down'],
    ['usd', 400, 1, 8.875, false, 400, 36, 436, '35.5 ties up, four-decimal rate'],
    ['eur', 1000, 1, 19, true, 1000, 160, 1000, 'inclusive: 1000 × 19 / 119 = 159.66'],
    ['eur', 11900, 2, 19, true, 23800, 3800, 23800, 'inclusive: exactly 3800'],
    ['jpy', 5, 1, 10, false, 5, 1, 6, 'zero-decimal: ¥0.5 ties up to ¥1'],
    ['jpy', 1100, 1, 10, true, 1100, 100, 1100, 'zero-decimal inclusive: ¥100'],
  ])('%s %d × %d at %d %% (inclusive %s) → subtotal %d, tax %d, total %d (%s)',
    async (currency, unit, quantity, percentage, inclusive, subtotal, tax, total) => {
      const totals = await draftTotals(currency, unit, quantity, percentage, inclusive);
      expect(totals).toMatchObject({ subtotal, tax, total });
      expect(totals.excluding).toBe(total - tax);
    });
});

describe('the emulator: requests it refuses', () => {
  it('refuses an unknown parameter, a malformed key and an unknown route', async () => {
    const { customer } = await basics(stripe);
    const unknown = await rejection(stripe.invoices.create({ customer, lines: [{ price: 'x' }] } as never));
    expect(unknown.message).toBe('Received unknown parameter: lines');
    const badKey = await rejection(sdkFor(env.emulator, 'sk_test_not-valid!').customers.create({}));
    expect(badKey).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    const response = await fetch(`${env.emulator.url}/v1/nothing`, { headers: { Authorization: 'Bearer sk_test_acme' } });
    expect(response.status).toBe(404);
  });

  it('refuses a recurring price on an invoice line and an archived price', async () => {
    const { customer } = await basics(stripe);
    const recurring = await stripe.prices.create({ currency: 'usd', unit_amount: 500, product_data: { name: 'P' }, recurring: { interval: 'month' } });
    const invoice = await stripe.invoices.create({ customer });
    const mismatch = await rejection(stripe.invoices.addLines(invoice.id, { lines: [{ pricing: { price: recurring.id } }] }));
    expect(mismatch.message).toContain('`type=recurring`');
    await stripe.prices.update(recurring.id, { active: false });
    const archived = await rejection(stripe.subscriptions.create({ customer, items: [{ price: recurring.id }] }));
    expect(archived.message).toContain('inactive');
  });
});
