import { NoPaymentMethod, PaymentDeclined } from '../../domain/errors';
import { expectRejection } from '../support/expect-error';
import {
  APP, PRICES, STRIPE_KEYS, TAX_RATES, TENANTS, USER, WRITE_KEY_ID, body, buildWorld,
} from '../support/world';

// SequentialIds hands out ids in order: the operation id first, then (with an Idempotency-Key) the lease token,
// then the ledger row id.
const OPERATION = '00000000-0000-4000-8000-000000000001';
const ATTEMPT_AFTER_LEASE = '00000000-0000-4000-8000-000000000003';

describe('CreateStripeInvoice: charging', () => {
  it('charges a one-off invoice in live mode and returns the PaymentIntent', async () => {
    const world = buildWorld();
    const result = await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() });

    expect(result.status).toBe('succeeded');
    expect(result.paymentIntent).toMatchObject({ status: 'succeeded', amount: 2379, currency: 'usd' });
    expect(result.paymentIntent?.object).toMatchObject({ object: 'payment_intent', customer: 'cus_paysLive' });
    expect(result.invoice).toMatchObject({ status: 'paid', subtotal: 1999, tax: 380, total: 2379, livemode: true });
    expect(result.subscription).toBeNull();
    // Three writes, each under a key derived from the one operation id, all with the app's live secret key.
    expect(world.billing.requests).toEqual([
      { step: 'invoice.create', idempotencyKey: `${OPERATION}:invoice.create`, secretKey: STRIPE_KEYS.live },
      { step: 'invoice.add_lines', idempotencyKey: `${OPERATION}:invoice.add_lines`, secretKey: STRIPE_KEYS.live },
      { step: 'invoice.pay', idempotencyKey: `${OPERATION}:invoice.pay`, secretKey: STRIPE_KEYS.live },
    ]);
  });

  it('writes one ledger row for the attempt, opened before and settled after the charge', async () => {
    const world = buildWorld();
    const result = await world.createInvoice.execute({
      caller: world.writer, tenantId: TENANTS.pays, input: body({ quantity: 2 }), idempotencyKey: 'order-42',
    });

    expect(world.chargeLedger.rows).toEqual([
      {
        id: ATTEMPT_AFTER_LEASE,
        operationId: OPERATION,
        appId: APP,
        apiKeyId: WRITE_KEY_ID,
        tenantId: TENANTS.pays,
        userId: USER,
        mode: 'payment',
        livemode: true,
        currency: 'usd',
        subtotal: 3998,
        tax: 760, // 3998 × 0.19 = 759.62
        total: 4758,
        idempotencyKey: 'order-42',
        startedAt: world.clock.now(),
        outcome: 'succeeded',
        stripeInvoiceId: result.invoice.id,
        stripePaymentIntentId: result.paymentIntent?.id,
        stripeSubscriptionId: null,
        declineCode: null,
        finishedAt: world.clock.now(),
      },
    ]);
  });

  it("uses the app's test key and the tenant's test customer when test is true", async () => {
    const world = buildWorld();
    const result = await world.createInvoice.execute({
      caller: world.writer, tenantId: TENANTS.pays, input: body({ test: true }),
    });
    expect(result.invoice.livemode).toBe(false);
    expect(result.paymentIntent?.object).toMatchObject({ customer: 'cus_paysTest', livemode: false });
    expect(new Set(world.billing.requests.map((request) => request.secretKey))).toEqual(new Set([STRIPE_KEYS.test]));
    expect(world.chargeLedger.rows[0]).toMatchObject({ livemode: false, outcome: 'succeeded' });
  });

  it('starts a subscription on a recurring price with one Stripe write', async () => {
    const world = buildWorld();
    const result = await world.createInvoice.execute({
      caller: world.writer, tenantId: TENANTS.pays, input: body({ mode: 'subscription', price: PRICES.monthly }),
    });
    expect(result.status).toBe('succeeded');
    expect(result.subscription).toMatchObject({ status: 'active' });
    expect(result.invoice).toMatchObject({ status: 'paid', total: 1189 }); // 999 + 189.81
    expect(world.billing.requests).toEqual([
      expect.objectContaining({ step: 'subscription.create', idempotencyKey: `${OPERATION}:subscription.create` }),
    ]);
    expect(world.chargeLedger.rows[0]).toMatchObject({
      mode: 'subscription', outcome: 'succeeded', stripeSubscriptionId: result.subscription?.id,
    });
  });

  it.each(['payment', 'subscription'] as const)(
    'returns a %s whose card needs 3-D Secure as a success with a requires_action PaymentIntent',
    async (mode) => {
      const world = buildWorld();
      const price = mode === 'payment' ? PRICES.oneTime : PRICES.monthly;
      const result = await world.createInvoice.execute({
        caller: world.writer, tenantId: TENANTS.requiresAction, input: body({ mode, price }),
      });
      expect(result.status).toBe('requires_action');
      expect(result.paymentIntent).toMatchObject({ status: 'requires_action' });
      expect(result.paymentIntent?.clientSecret).toEqual(expect.stringContaining('_secret_'));
      expect(result.invoice.status).toBe('open');
      if (mode === 'subscription') expect(result.subscription?.status).toBe('incomplete');
      expect(world.chargeLedger.rows[0]?.outcome).toBe('requires_action');
    },
  );

  it('returns no PaymentIntent when customer credit covers the invoice', async () => {
    const world = buildWorld();
    const result = await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.hasCredit, input: body() });
    expect(result.status).toBe('nothing_to_charge');
    expect(result.paymentIntent).toBeNull();
    expect(result.invoice.status).toBe('paid');
    expect(world.billing.paymentIntents.size).toBe(0);
    expect(world.chargeLedger.rows[0]).toMatchObject({ outcome: 'nothing_to_charge', stripePaymentIntentId: null });
  });

  it("returns no PaymentIntent when the total is below Stripe's minimum charge", async () => {
    const world = buildWorld();
    const result = await world.createInvoice.execute({
      caller: world.writer, tenantId: TENANTS.pays, input: body({ price: PRICES.tiny }),
    });
    expect(result).toMatchObject({ status: 'nothing_to_charge', paymentIntent: null, invoice: { total: 30 } });
  });

  it('reports a declined card with its decline code, voids the invoice and records the decline', async () => {
    const world = buildWorld();
    const error = await expectRejection(
      world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.declines, input: body() }),
      PaymentDeclined,
    );
    expect(error.declineCode).toBe('generic_decline');
    expect(error.message).toBe('The card was declined (generic_decline).');
    expect([...world.billing.invoices.values()].map((invoice) => invoice.status)).toEqual(['void']);
    expect(world.chargeLedger.rows[0]).toMatchObject({
      outcome: 'declined', declineCode: 'generic_decline', stripeInvoiceId: error.invoiceId,
    });
  });

  it('cancels the incomplete subscription of a declined card, and names it in the error', async () => {
    const world = buildWorld();
    const error = await expectRejection(
      world.createInvoice.execute({
        caller: world.writer, tenantId: TENANTS.declines, input: body({ mode: 'subscription', price: PRICES.monthly }),
      }),
      PaymentDeclined,
    );
    const [subscription] = [...world.billing.subscriptions.values()];
    expect(subscription?.status).toBe('canceled');
    expect(error.subscriptionId).toBe(subscription?.id);
    expect(error.message).toContain(`for the first invoice of the subscription ${subscription?.id}`);
    expect(world.chargeLedger.rows[0]?.outcome).toBe('declined');
  });

  it('reports a tenant without a default payment method', async () => {
    const world = buildWorld();
    await expectRejection(
      world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.noCard, input: body() }),
      NoPaymentMethod,
    );
    expect(world.chargeLedger.rows[0]?.outcome).toBe('no_payment_method');
  });

  it('passes an inclusive price through with its tax inside the total', async () => {
    const world = buildWorld();
    const result = await world.createInvoice.execute({
      caller: world.writer,
      tenantId: TENANTS.pays,
      input: body({ price: PRICES.inclusive, taxRate: TAX_RATES.vatInclusive, footer: 'Danke.' }),
    });
    expect(result.invoice).toMatchObject({ currency: 'eur', subtotal: 11900, tax: 1900, total: 11900 });
  });
});
