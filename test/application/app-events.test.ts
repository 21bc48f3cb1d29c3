import { Webhook } from 'standardwebhooks';
import { Forbidden, ValidationFailed } from '../../domain/errors';
import { NotFound } from '../../application/errors';
import { STANDARD_DELIVERY_POLICY } from '../../application/outbound/outbound-ports';
import { expectRejection } from '../support/expect-error';
import { APP, OTHER_APP, READ_KEY_ID, TENANTS, body, buildWorld } from '../support/world';

type World = ReturnType<typeof buildWorld>;

async function endpoint(world: World, events?: string[], url = 'https://app.example.com/hooks') {
  return world.useCases.appEndpoints.create(APP, { url, ...(events ? { events } : {}) });
}

/** Verifies as the receiving app would, at the moment the delivery was sent (the world's clock stands still). */
function verified(secret: string, sent: { body: string; headers: Record<string, string> }): { type: string; data: Record<string, any> } {
  const now = jest.spyOn(Date, 'now').mockReturnValue(Number(sent.headers['webhook-timestamp']) * 1000);
  try {
    return new Webhook(secret).verify(sent.body, sent.headers) as { type: string; data: Record<string, any> };
  } finally {
    now.mockRestore();
  }
}

const bodies = (world: World) => world.webhookSender.sent.map((sent) => JSON.parse(sent.body) as { type: string; data: Record<string, any> });
const deliver = (world: World) => world.useCases.deliverAppEvents.run();

describe('events to the app', () => {
  let world: World;
  beforeEach(() => {
    world = buildWorld();
  });

  it("tells a charge's outcome with the invoice as read, and the request's Idempotency-Key and operation", async () => {
    const { secret } = await endpoint(world);
    const charged = await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'order-7' });
    const [report] = await deliver(world);
    expect(report).toMatchObject({ outcome: 'delivered', type: 'invoice.paid', attempt: 1, status: 200 });
    const [sent] = world.webhookSender.sent;
    expect(verified(secret, sent!)).toMatchObject({
      type: 'invoice.paid',
      data: { invoice: { id: charged.invoice.id, status: 'paid', paymentStatus: 'succeeded' }, tenantId: TENANTS.pays, idempotencyKey: 'order-7', operationId: expect.any(String) },
    });
    expect(sent!.headers['webhook-id']).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(await deliver(world)).toEqual([]);
  });

  it('sends only the types an endpoint asked for', async () => {
    await endpoint(world, ['invoice.payment_failed']);
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() });
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.declines, input: body() }).catch(() => undefined);
    await deliver(world);
    expect(bodies(world).map((sent) => sent.type)).toEqual(['invoice.payment_failed']);
  });

  it('delivers each endpoint its events in the order they were created, one at a time', async () => {
    await endpoint(world);
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.requiresAction, input: body() });
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() });
    world.webhookSender.answers.push({ kind: 'answered', status: 500, body: 'down', retryAfterSeconds: null, durationMs: 1 });
    expect((await deliver(world)).map((report) => report.outcome)).toEqual(['retry']);
    // The second event waits behind the first, whatever time it is.
    expect(await deliver(world)).toEqual([]);
    world.clock.advance(60_000);
    expect((await deliver(world)).map((report) => report.type)).toEqual(['invoice.payment_action_required']);
    expect((await deliver(world)).map((report) => report.type)).toEqual(['invoice.paid']);
    const ids = world.webhookSender.sent.map((sent) => sent.headers['webhook-id']);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[1]);
  });

  it("retries on the schedule, honours a longer Retry-After on 429 and 503, then gives up", async () => {
    await endpoint(world);
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() });
    const fail = (status: number, retryAfterSeconds: number | null = null) =>
      world.webhookSender.answers.push({ kind: 'answered', status, body: 'no', retryAfterSeconds, durationMs: 1 });
    fail(503, 120);
    await deliver(world);
    world.clock.advance(119_000);
    expect(await deliver(world)).toEqual([]);
    world.clock.advance(1_000);
    fail(302);
    expect(await deliver(world)).toEqual([expect.objectContaining({ outcome: 'retry', status: 302, attempt: 2 })]);
    const waits = STANDARD_DELIVERY_POLICY.retryWaitsMs;
    for (let attempt = 3; attempt <= waits.length + 1; attempt += 1) {
      world.clock.advance(waits[attempt - 2]! * 1.1);
      fail(500);
      const [report] = await deliver(world);
      expect(report).toMatchObject({ attempt, outcome: attempt === waits.length + 1 ? 'failed' : 'retry' });
      // The schedule (about 3 days) ends before the five days after which the endpoint would be disabled.
      if (report!.outcome === 'failed') break;
    }
    expect((await world.useCases.deliveries.attempts(APP)).length).toBe(waits.length + 1);
    expect(await world.useCases.deliveries.attempts(APP, { limit: 2 })).toHaveLength(2);
    await expectRejection(world.useCases.deliveries.attempts(APP, { limit: Number('abc') }), ValidationFailed);
  });

  it('lets Retry-After only lengthen the wait, and never beyond a day', async () => {
    await endpoint(world);
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() });
    const fail = (retryAfterSeconds: number) => world.webhookSender.answers.push({ kind: 'answered', status: 429, body: 'slow down', retryAfterSeconds, durationMs: 1 });
    fail(0);
    await deliver(world);
    world.clock.advance(4_400); // the schedule's 5 s, less its 10 % jitter, is not over yet
    expect(await deliver(world)).toEqual([]);
    world.clock.advance(1_200);
    fail(999_999);
    expect(await deliver(world)).toEqual([expect.objectContaining({ attempt: 2, outcome: 'retry' })]);
    world.clock.advance(86_400_000 - 1_000);
    expect(await deliver(world)).toEqual([]);
    world.clock.advance(1_000);
    expect(await deliver(world)).toEqual([expect.objectContaining({ attempt: 3, outcome: 'delivered' })]);
  });

  it('records nothing for a delivery redelivered while its attempt was under way: the redelivery still happens', async () => {
    await endpoint(world);
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() });
    world.webhookSender.beforeAnswer = async (sent) => {
      await world.useCases.deliveries.redeliver(APP, sent.headers['webhook-id']!);
    };
    expect(await deliver(world)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered' })]);
    world.webhookSender.beforeAnswer = undefined;
    expect(await deliver(world)).toEqual([expect.objectContaining({ attempt: 1, outcome: 'delivered' })]);
    const ids = world.webhookSender.sent.map((sent) => sent.headers['webhook-id']);
    expect(ids).toEqual([ids[0], ids[0]]);
    expect(await deliver(world)).toEqual([]);
  });

  it('disables an endpoint that answers 410, and one that fails for five days', async () => {
    const gone = await endpoint(world, undefined, 'https://gone.example.com');
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() });
    world.webhookSender.answers.push({ kind: 'answered', status: 410, body: 'gone', retryAfterSeconds: null, durationMs: 1 });
    expect(await deliver(world)).toEqual([expect.objectContaining({ outcome: 'endpoint_disabled', status: 410 })]);
    expect((await world.useCases.appEndpoints.list(APP)).find((item) => item.id === gone.endpoint.id)).toMatchObject({ status: 'disabled', disabledReason: 'gone' });
    await world.useCases.appEndpoints.remove(APP, gone.endpoint.id);

    const failing = await endpoint(world, undefined, 'https://failing.example.com');
    for (let n = 0; n < 3; n += 1) await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() });
    const outcomes: string[] = [];
    for (let hour = 0; hour < 6 * 24 && !outcomes.includes('endpoint_disabled'); hour += 1) {
      for (const answer of [1, 2]) world.webhookSender.answers.push({ kind: 'unreachable', error: `refused ${answer}`, durationMs: 1 });
      outcomes.push(...(await deliver(world)).map((report) => report.outcome));
      world.clock.advance(3_600_000);
    }
    expect(outcomes.at(-1)).toBe('endpoint_disabled');
    expect((await world.useCases.appEndpoints.list(APP))[0]).toMatchObject({ id: failing.endpoint.id, status: 'disabled', disabledReason: 'failing' });
    expect(await deliver(world)).toEqual([]);
  });

  it('signs with both secrets during a rotation overlap, then with the new one only', async () => {
    const created = await endpoint(world);
    const rotated = await world.useCases.appEndpoints.rotateSecret(APP, created.endpoint.id, 3_600_000);
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() });
    await deliver(world);
    world.clock.advance(3_600_001);
    await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body() });
    await deliver(world);
    const [during, after] = world.webhookSender.sent;
    expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => verified(created.secret, during!)).not.toThrow();
    expect(() => verified(rotated.secret, during!)).not.toThrow();
    expect(after!.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(() => verified(created.secret, after!)).toThrow();
    expect(() => verified(rotated.secret, after!)).not.toThrow();
  });

  it("lets an app's read key list its endpoints but only a write key change them, and never another app's", async () => {
    const reader = world.useCases.appEndpoints.forCaller({ appId: APP, keyId: READ_KEY_ID, keyType: 'read' });
    await expectRejection(reader.create({ url: 'https://x.example.com' }), Forbidden);
    const writer = world.useCases.appEndpoints.forCaller(world.writer);
    const { endpoint: made } = await writer.create({ url: 'https://x.example.com', events: ['invoice.paid'] });
    expect((await reader.list()).map((item) => item.id)).toEqual([made.id]);
    await expectRejection(reader.remove(made.id), Forbidden);
    expect(await world.useCases.appEndpoints.list(OTHER_APP)).toEqual([]);
    await expectRejection(world.useCases.appEndpoints.remove(OTHER_APP, made.id), NotFound);
    expect((await writer.list()).map((item) => item.id)).toEqual([made.id]);
    await expectRejection(writer.create({ url: 'ftp://x.example.com' }), ValidationFailed);
    await expectRejection(writer.create({ url: 'https://x.example.com', events: ['invoice.exploded'] }), ValidationFailed);
    world.webhookSender.refused.add('https://internal.example.com');
    await expectRejection(writer.create({ url: 'https://internal.example.com' }), ValidationFailed);
  });
});
