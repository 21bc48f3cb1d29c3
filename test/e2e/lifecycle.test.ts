import Stripe from 'stripe';
import { emulatorClient } from '@tenant-stripe-invoices/stripe-emulator';
import { startLiveService, type LiveService } from '../support/live-service';

// The invoice's life after the charge's answer, through the real parts: the emulator's signed webhook deliveries,
// the HTTP route, the inbox, the background processor, the SQLite store and the read API.

let live: LiveService;
let stripe: Stripe;

beforeAll(async () => {
  live = await startLiveService({ webhooks: true });
  stripe = emulatorClient(live.emulator.url, live.stripeKey);
}, 60_000);
afterAll(() => live?.close());

const authenticate = (intent: string, outcome: 'succeeded' | 'failed') =>
  fetch(`${live.emulator.url}/_emulator/payment_intents/${intent}/authenticate`, { method: 'POST', body: JSON.stringify({ outcome }) });

async function chargeFor(tenant: { tenantId: string; userId: string }, body: Record<string, unknown>) {
  const response = await fetch(`${live.baseUrl}/api/v1/tenants/${tenant.tenantId}/stripe-invoices`, {
    method: 'POST', headers: live.headers, body: JSON.stringify({ taxRate: live.seeded.taxRates.exclusive, quantity: 1, userId: tenant.userId, test: true, ...body }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

async function graphql(query: string, variables: Record<string, unknown>) {
  const response = await fetch(`${live.baseUrl}/graphql`, { method: 'POST', headers: live.headers, body: JSON.stringify({ query, variables }) });
  return ((await response.json()) as { data: Record<string, any> }).data;
}

describe('3-D Secure, finished by the customer after the answer', () => {
  it.each([
    ['succeeded', { status: 'paid', paymentStatus: 'succeeded' }],
    ['failed', { status: 'open', paymentStatus: 'failed' }],
  ] as const)('REST: authentication %s shows in the read API', async (outcome, expected) => {
    const charged = await live.charge('requiresAction');
    expect(charged.status).toBe(201);
    expect(charged.json['data'].paymentIntents.status).toBe('requires_action');
    const invoiceId = charged.json['data'].invoice.id as string;
    expect(await live.invoice(live.tenants.requiresAction.tenantId, invoiceId)).toMatchObject({ paymentStatus: 'requires_action' });
    expect((await authenticate(charged.json['data'].paymentIntents.id, outcome)).status).toBe(200);
    const seen = await live.until(live.tenants.requiresAction.tenantId, invoiceId, (invoice) => invoice['paymentStatus'] !== 'requires_action');
    expect(seen).toMatchObject(expected);
  });

  it('GraphQL: the same, from the mutation to the query', async () => {
    const created = await graphql(
      `mutation($tenantId: ID!, $input: CreateStripeInvoiceInput!) { createStripeInvoice(tenantId: $tenantId, input: $input) {
        __typename ... on CreateStripeInvoiceSuccess { status paymentIntent { id } invoice { id } } } }`,
      { tenantId: live.tenants.requiresAction.tenantId, input: live.input('requiresAction') },
    );
    const charged = created['createStripeInvoice'];
    expect(charged).toMatchObject({ __typename: 'CreateStripeInvoiceSuccess', status: 'requires_action' });
    await authenticate(charged.paymentIntent.id, 'succeeded');
    const query = `query($tenantId: ID!, $id: ID!) { invoice(tenantId: $tenantId, id: $id) { __typename ... on TenantInvoice { status paymentStatus amountPaid total } } }`;
    const started = Date.now();
    let invoice: Record<string, any> = {};
    while (Date.now() - started < 5_000) {
      invoice = (await graphql(query, { tenantId: live.tenants.requiresAction.tenantId, id: charged.invoice.id }))['invoice'];
      if (invoice['status'] === 'paid') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(invoice).toMatchObject({ __typename: 'TenantInvoice', status: 'paid', paymentStatus: 'succeeded' });
    expect(invoice['amountPaid']).toBe(invoice['total']);
  });
});

describe('refunds and disputes', () => {
  it('shows a partial refund, then the full one', async () => {
    const charged = await live.charge('pays');
    const { id: invoiceId, total } = charged.json['data'].invoice;
    const intent = charged.json['data'].paymentIntents.id as string;
    await stripe.refunds.create({ payment_intent: intent, amount: 500 });
    expect(await live.until(live.tenants.pays.tenantId, invoiceId, (invoice) => invoice['amountRefunded'] === 500)).toMatchObject({
      status: 'paid', paymentStatus: 'partially_refunded',
    });
    await stripe.refunds.create({ payment_intent: intent });
    expect(await live.until(live.tenants.pays.tenantId, invoiceId, (invoice) => invoice['amountRefunded'] === total)).toMatchObject({
      paymentStatus: 'refunded',
    });
  });

  it('shows a dispute', async () => {
    const charged = await live.charge('pays');
    await fetch(`${live.emulator.url}/_emulator/payment_intents/${charged.json['data'].paymentIntents.id}/dispute`, { method: 'POST', body: '{}' });
    expect(await live.until(live.tenants.pays.tenantId, charged.json['data'].invoice.id, (invoice) => invoice['paymentStatus'] === 'disputed')).toMatchObject({
      status: 'paid',
    });
  });
});

describe('renewals on a test clock', () => {
  async function subscribedOnClock() {
    const start = Math.floor(Date.UTC(2027, 0, 1) / 1000);
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await stripe.customers.create({ test_clock: clock.id, payment_method: 'pm_card_visa', invoice_settings: { default_payment_method: 'pm_card_visa' } });
    const tenant = await live.addTenant(customer.id);
    const charged = await chargeFor(tenant, { price: live.seeded.prices.recurring, mode: 'subscription' });
    expect(charged.status).toBe(201);
    return { start, clock, customer, tenant, subscription: charged.json['data'].subscription.id as string };
  }

  async function list(tenantId: string): Promise<Record<string, any>[]> {
    const response = await fetch(`${live.baseUrl}/api/v1/tenants/${tenantId}/stripe-invoices?test=true`, { headers: live.headers });
    return ((await response.json()) as { data: { invoices: Record<string, any>[] } }).data.invoices;
  }

  async function listUntil(tenantId: string, done: (invoices: Record<string, any>[]) => boolean) {
    const started = Date.now();
    let invoices = await list(tenantId);
    while (!done(invoices) && Date.now() - started < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      invoices = await list(tenantId);
    }
    return invoices;
  }

  it('keeps each renewal as a paid invoice of the subscription', async () => {
    const { start, clock, tenant, subscription } = await subscribedOnClock();
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start + 32 * 86_400 });
    const invoices = await listUntil(tenant.tenantId, (all) => all.length === 2);
    expect(invoices.map((invoice) => invoice['billingReason'])).toEqual(['subscription_cycle', 'subscription_create']);
    expect(invoices[0]).toMatchObject({ status: 'paid', paymentStatus: 'succeeded', subscriptionId: subscription, subscriptionStatus: 'active', mode: 'subscription', userId: tenant.userId });
  });

  it('shows a declined renewal as failed and the subscription past_due', async () => {
    const { start, clock, customer, tenant } = await subscribedOnClock();
    const declining = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: declining.id } });
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start + 32 * 86_400 });
    const invoices = await listUntil(tenant.tenantId, (all) => all.length === 2 && all.every((invoice) => invoice['subscriptionStatus'] === 'past_due'));
    expect(invoices[0]).toMatchObject({ billingReason: 'subscription_cycle', status: 'open', paymentStatus: 'failed', subscriptionStatus: 'past_due' });
    expect(invoices[1]).toMatchObject({ billingReason: 'subscription_create', status: 'paid', subscriptionStatus: 'past_due' });
  });
});

describe('the webhook route refuses what cannot be trusted, and stores none of it', () => {
  const sdk = new Stripe('sk_test_unused');
  const secret = 'whsec_routeTestSecret00000000000000';
  // Its own service, with nothing processing the inbox: whatever a refused delivery stored would stay in the backlog.
  let quiet: LiveService;

  beforeAll(async () => {
    quiet = await startLiveService();
    // A secret set as an operator would for an endpoint made by hand.
    await quiet.service.webhooks.setSecret({ appId: quiet.appId, mode: 'live', secret });
  }, 60_000);
  afterAll(() => quiet?.close());

  const payload = (id: string, livemode = true) =>
    JSON.stringify({ id, object: 'event', type: 'invoice.paid', created: Math.floor(Date.now() / 1000), livemode, data: { object: { object: 'invoice', id: 'in_x' } } });
  const post = (path: string, body: string, signature?: string) =>
    fetch(`${quiet.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) }, body });
  const backlog = () => quiet.service.processStripeEvents.backlog();
  const refusals = new Set<string>();

  it.each([
    ['a wrong signature', (body: string) => ({ signature: sdk.webhooks.generateTestHeaderString({ payload: body, secret: 'whsec_wrong000000000000000000000' }) })],
    ['a stale timestamp', (body: string) => ({ signature: sdk.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: Math.floor(Date.now() / 1000) - 600 }) })],
    ['no signature', () => ({ signature: undefined })],
    ['an altered body', (body: string) => ({ signature: sdk.webhooks.generateTestHeaderString({ payload: body, secret }), body: body.replace('in_x', 'in_y') })],
    ['a wrong app', (body: string) => ({ signature: sdk.webhooks.generateTestHeaderString({ payload: body, secret }), appId: '00000000-0000-4000-8000-000000000000' })],
    ['a wrong mode', (body: string) => ({ signature: sdk.webhooks.generateTestHeaderString({ payload: body, secret }), mode: 'sandbox' })],
    ['the other mode', (body: string) => ({ signature: sdk.webhooks.generateTestHeaderString({ payload: body, secret }), mode: 'test' })],
  ] as const)('answers 400 WEBHOOK_REJECTED to %s', async (_name, change) => {
    const body = payload(`evt_refused_${Math.random().toString(36).slice(2)}`);
    const changed = { appId: quiet.appId, mode: 'live', body, ...change(body) } as { appId: string; mode: string; body: string; signature?: string };
    const before = await backlog();
    const response = await post(`/api/v1/stripe/webhooks/${changed.appId}/${changed.mode}`, changed.body, changed.signature);
    expect(response.status).toBe(400);
    const answer = (await response.json()) as Record<string, unknown>;
    // One sentence for every refusal: an unknown app cannot be told apart from a bad signature.
    expect(answer).toEqual({ success: false, code: 'WEBHOOK_REJECTED', data: null, message: null, error: expect.any(String) });
    refusals.add(String(answer['error']));
    expect(JSON.stringify(answer)).not.toContain(secret);
    expect(await backlog()).toEqual(before);
  });

  it('said one and the same sentence to every refusal above', () => {
    expect(refusals.size).toBe(1);
  });

  it('acknowledges a good delivery, and a second delivery of it as a duplicate', async () => {
    const body = payload('evt_route_good');
    const signature = sdk.webhooks.generateTestHeaderString({ payload: body, secret });
    const before = await backlog();
    const first = await post(`/api/v1/stripe/webhooks/${quiet.appId}/live`, body, signature);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ success: true, data: { eventId: 'evt_route_good', duplicate: false } });
    const again = await post(`/api/v1/stripe/webhooks/${quiet.appId}/live`, body, signature);
    expect(await again.json()).toMatchObject({ success: true, data: { eventId: 'evt_route_good', duplicate: true } });
    expect((await backlog()).backlog).toBe(before.backlog + 1);
  });
});
