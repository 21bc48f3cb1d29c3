import type Stripe from 'stripe';
import { type EmulatorEnv, basics, emulatorForEachTest } from './emulator-support';
import { webhookReceiver, type WebhookReceiver } from './webhook-receiver';

let env: EmulatorEnv;
let stripe: Stripe;
let receiver: WebhookReceiver;

emulatorForEachTest((made) => ({ env, stripe } = made), { webhookRetryScheduleMs: [50, 50, 50] });
beforeEach(async () => {
  receiver = await webhookReceiver();
});
afterEach(() => receiver.close());

async function listen(events: string[] = ['*']): Promise<Stripe.WebhookEndpoint> {
  const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: events as Stripe.WebhookEndpointCreateParams.EnabledEvent[] });
  receiver.useSecret(endpoint.secret!);
  return endpoint;
}

async function pay(card = 'pm_card_visa') {
  const { customer, price } = await basics(stripe, card);
  const invoice = await stripe.invoices.create({ customer });
  await stripe.invoices.addLines(invoice.id, { lines: [{ pricing: { price } }] });
  await stripe.invoices.pay(invoice.id, { off_session: true }).catch(() => undefined);
  return invoice.id;
}

type Delivery = { eventId: string; type: string; status: number | string; attempt: number; duplicate: boolean };
const deliveries = async () => (await env.control('GET', 'webhooks/deliveries')).body as Delivery[];

describe('the emulator: webhook endpoints and deliveries', () => {
  it('manages endpoints like Stripe: the secret is shown once, on creation', async () => {
    const endpoint = await listen(['invoice.paid']);
    expect(endpoint).toMatchObject({ object: 'webhook_endpoint', url: receiver.url, enabled_events: ['invoice.paid'], status: 'enabled' });
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    const read = await stripe.webhookEndpoints.retrieve(endpoint.id);
    expect(read.secret).toBeUndefined();
    expect((await stripe.webhookEndpoints.list()).data.map((listed) => listed.id)).toEqual([endpoint.id]);
    await expect(stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] })).rejects.toMatchObject({ statusCode: 400 });
    expect(await stripe.webhookEndpoints.del(endpoint.id)).toMatchObject({ id: endpoint.id, deleted: true });
    await expect(stripe.webhookEndpoints.retrieve(endpoint.id)).rejects.toMatchObject({ statusCode: 404 });
  });

  it("delivers each event signed so that the SDK's constructEvent accepts it, only the types the endpoint wants", async () => {
    await listen(['invoice.paid', 'charge.succeeded']);
    const invoice = await pay();
    await receiver.until((received) => received.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(receiver.types().sort()).toEqual(['charge.succeeded', 'invoice.paid']);
    expect(receiver.rejected).toEqual([]);
    const paid = receiver.received.find((entry) => entry.event.type === 'invoice.paid')!;
    expect((paid.event.data.object as Stripe.Invoice).id).toBe(invoice);
    expect(paid.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(paid.event.id).toBe((await stripe.events.list({ type: 'invoice.paid' })).data[0]!.id);
  });

  it('retries a receiver that fails on the schedule, and counts the event undelivered meanwhile', async () => {
    await listen(['invoice.paid']);
    receiver.answers.push(500, 503);
    await pay();
    await receiver.until((received) => received.length === 1);
    const statuses = (await deliveries()).filter((entry) => entry.type === 'invoice.paid').map((entry) => [entry.attempt, entry.status]);
    expect(statuses).toEqual([[1, 500], [2, 503], [3, 200]]);
    expect((await stripe.events.list({ type: 'invoice.paid', delivery_success: true })).data).toHaveLength(1);
  });

  it('gives up after the last retry, leaving the event listed as undelivered', async () => {
    await listen(['invoice.paid']);
    receiver.answers.push(500, 500, 500, 500, 500);
    await pay();
    const started = Date.now();
    while ((await deliveries()).length < 4 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await deliveries()).map((entry) => entry.status)).toEqual([500, 500, 500, 500]);
    expect((await stripe.events.list({ type: 'invoice.paid', delivery_success: false })).data).toHaveLength(1);
  });

  it('refuses a delivery signed with another secret (the receiver verifies)', async () => {
    await listen(['invoice.paid']);
    receiver.useSecret('whsec_not_the_endpoints_secret_000000');
    await pay();
    const started = Date.now();
    while (receiver.rejected.length === 0 && Date.now() - started < 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(receiver.rejected[0]).toMatch(/signatures? .*match/i);
  });
});

describe('the emulator: delivery chaos', () => {
  it('drops a delivery for good: never sent, listed with delivery_success=false', async () => {
    await listen(['invoice.paid', 'invoice.finalized']);
    await env.control('POST', 'webhooks/chaos', { kind: 'drop', types: ['invoice.paid'] });
    await pay();
    await receiver.until((received) => received.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(receiver.types()).toEqual(['invoice.finalized']);
    expect((await stripe.events.list({ delivery_success: false })).data.map((event) => event.type)).toEqual(['invoice.paid']);
    expect((await deliveries()).find((entry) => entry.type === 'invoice.paid')).toMatchObject({ status: 'dropped' });
  });

  it('duplicates a delivery: the same event id arrives twice', async () => {
    await listen(['invoice.paid']);
    await env.control('POST', 'webhooks/chaos', { kind: 'duplicate', probability: 1 });
    await pay();
    await receiver.until((received) => received.length === 2);
    expect(new Set(receiver.received.map((entry) => entry.event.id)).size).toBe(1);
  });

  it('shuffles and delays: everything arrives, not necessarily in order', async () => {
    await listen(['*']);
    await env.control('POST', 'webhooks/chaos', [{ kind: 'shuffle', probability: 1, maxDelayMs: 200 }, { kind: 'delay', probability: 0.5, maxDelayMs: 300 }]);
    await pay();
    const sent = (await stripe.events.list({ limit: 100 })).data.map((event) => event.id);
    await receiver.until((received) => received.length === sent.length);
    expect(receiver.received.map((entry) => entry.event.id).sort()).toEqual([...sent].sort());
    expect((await env.control('GET', 'webhooks/chaos')).body).toHaveLength(2);
    await env.control('DELETE', 'webhooks/chaos');
    expect((await env.control('GET', 'webhooks/chaos')).body).toEqual([]);
  });
});
