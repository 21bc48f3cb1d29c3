import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Webhook } from 'standardwebhooks';
import { eventually } from '../support/eventually';
import { readmeExample } from '../support/readme-examples';
import { freePort } from './processes';
import { startLiveService, type LiveService } from '../support/live-service';
import { standardWebhooksReceiver, type StandardWebhooksReceiver } from '../support/standard-webhooks-receiver';

// Events to the app through the real parts: the store's outbox, the background dispatcher, fetch, a real HTTP
// receiver that verifies every delivery with the standardwebhooks package. Time runs 100 000 times faster for the
// schedule (WEBHOOK_TIME_SCALE), so that days of retries take seconds.

let live: LiveService;
let receiver: StandardWebhooksReceiver;

beforeAll(async () => {
  live = await startLiveService({ webhooks: true, env: { WEBHOOK_TIME_SCALE: '0.00001' } });
}, 60_000);
afterAll(() => live?.close());
beforeEach(async () => {
  receiver = await standardWebhooksReceiver();
});
afterEach(async () => {
  for (const endpoint of await live.service.appEndpoints.list(live.appId)) await live.service.appEndpoints.remove(live.appId, endpoint.id);
  await receiver.close();
});

/** An endpoint made by the app itself over REST, with its write key. */
async function subscribe(events?: string[]): Promise<{ id: string; secret: string }> {
  const response = await fetch(`${live.baseUrl}/api/v1/webhook-endpoints`, {
    method: 'POST', headers: live.headers, body: JSON.stringify({ url: receiver.url, ...(events ? { events } : {}) }),
  });
  expect(response.status).toBe(201);
  const { data } = (await response.json()) as { data: { endpoint: { id: string }; secret: string } };
  receiver.useSecret(data.secret);
  return { id: data.endpoint.id, secret: data.secret };
}

const ofType = (type: string, invoiceId: string) => receiver.accepted.filter((delivered) => delivered.event.type === type && delivered.event.data['invoice'].id === invoiceId);
const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

describe('events to the app, as its receiver sees them', () => {
  it('3-D Secure completed: exactly one invoice.paid, carrying the Idempotency-Key of the create', async () => {
    await subscribe();
    const charged = await live.charge('requiresAction', { key: 'order-3ds-1' });
    const invoiceId = charged.json['data'].invoice.id as string;
    await receiver.until(() => ofType('invoice.payment_action_required', invoiceId).length === 1);
    await fetch(`${live.emulator.url}/_emulator/payment_intents/${charged.json['data'].paymentIntents.id}/authenticate`, { method: 'POST', body: '{"outcome":"succeeded"}' });
    await receiver.until(() => ofType('invoice.paid', invoiceId).length > 0);
    await settle();
    const paid = ofType('invoice.paid', invoiceId);
    expect(paid).toHaveLength(1);
    expect(paid[0]!.event.data).toMatchObject({ idempotencyKey: 'order-3ds-1', tenantId: live.tenants.requiresAction.tenantId, invoice: { status: 'paid', paymentStatus: 'succeeded' } });
    expect(receiver.refused).toEqual([]);
  });

  it('503 three times, then 200: delivered, four attempts logged, one webhook-id', async () => {
    const endpoint = await subscribe(['invoice.paid']);
    receiver.answers.push(503, 503, 503);
    const charged = await live.charge('pays');
    await receiver.until(() => ofType('invoice.paid', charged.json['data'].invoice.id).length === 1);
    const id = receiver.accepted[0]!.id;
    expect(receiver.requests).toEqual([{ id, status: 503 }, { id, status: 503 }, { id, status: 503 }, { id, status: 200 }]);
    const attempts = await live.service.deliveries.attempts(live.appId, { endpointId: endpoint.id });
    expect(attempts.map((attempt) => [attempt.eventId, attempt.attempt, attempt.status]).reverse()).toEqual([[id, 1, 503], [id, 2, 503], [id, 3, 503], [id, 4, 200]]);
    expect(attempts[0]).toMatchObject({ response: 'thanks', durationMs: expect.any(Number) });
  });

  it('410 disables the endpoint, and says so', async () => {
    const endpoint = await subscribe(['invoice.paid']);
    receiver.answers.push(410);
    await live.charge('pays');
    await receiver.until(() => receiver.requests.length === 1);
    await settle();
    const [listed] = await live.service.appEndpoints.list(live.appId);
    expect(listed).toMatchObject({ id: endpoint.id, status: 'disabled', disabledReason: 'gone', disabledAt: expect.any(Date) });
    await live.charge('pays');
    await settle();
    expect(receiver.requests).toHaveLength(1);
  });

  it('an endpoint that keeps failing for five (scaled) days is disabled', async () => {
    const endpoint = await subscribe(['invoice.paid']);
    receiver.answers.push(...Array.from({ length: 10_000 }, () => 500));
    const started = Date.now();
    let listed = (await live.service.appEndpoints.list(live.appId))[0]!;
    // Five days at this scale are 4.3 s: events keep coming meanwhile, and each one fails.
    while (listed.status === 'enabled' && Date.now() - started < 20_000) {
      await live.charge('pays');
      await new Promise((resolve) => setTimeout(resolve, 250));
      listed = (await live.service.appEndpoints.list(live.appId))[0]!;
    }
    expect(listed).toMatchObject({ id: endpoint.id, status: 'disabled', disabledReason: 'failing' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 86_400_000 * 0.00001);
  }, 30_000);

  it("rotation: both secrets verify during the overlap, then only the new one", async () => {
    const endpoint = await subscribe(['invoice.paid']);
    const rotated = await live.service.appEndpoints.rotateSecret(live.appId, endpoint.id, 1_500);
    const verifies = (secret: string, delivered: { id: string; timestamp: string; signature: string; body: string }) => {
      try {
        new Webhook(secret).verify(delivered.body, { 'webhook-id': delivered.id, 'webhook-timestamp': delivered.timestamp, 'webhook-signature': delivered.signature });
        return true;
      } catch {
        return false;
      }
    };
    await live.charge('pays');
    await receiver.until(() => receiver.accepted.length === 1);
    const during = receiver.accepted[0]!;
    expect([verifies(endpoint.secret, during), verifies(rotated.secret, during)]).toEqual([true, true]);
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    receiver.useSecret(rotated.secret);
    await live.charge('pays');
    await receiver.until(() => receiver.accepted.length === 2);
    const after = receiver.accepted[1]!;
    expect([verifies(endpoint.secret, after), verifies(rotated.secret, after)]).toEqual([false, true]);
  });

  it('a read key lists endpoints and cannot change them; the secret is only in the answer that made it', async () => {
    const { id, secret } = await subscribe();
    const { 'content-type': _json, ...write } = live.headers;
    const read = { ...write, 'x-api-key': live.readKey, 'x-api-key-type': 'read' };
    const listed = await fetch(`${live.baseUrl}/api/v1/webhook-endpoints`, { headers: read });
    const text = await listed.text();
    expect(JSON.parse(text)).toMatchObject({ success: true, data: { endpoints: [{ id, url: receiver.url, status: 'enabled' }] } });
    expect(text).not.toContain(secret);
    const removal = await fetch(`${live.baseUrl}/api/v1/webhook-endpoints/${id}`, { method: 'DELETE', headers: read });
    expect(removal.status).toBe(403);
    const removed = await fetch(`${live.baseUrl}/api/v1/webhook-endpoints/${id}`, { method: 'DELETE', headers: write });
    expect(await removed.json()).toMatchObject({ success: true, data: { removed: id } });
    expect((await fetch(`${live.baseUrl}/api/v1/webhook-endpoints/${id}`, { method: 'DELETE', headers: write })).status).toBe(404);
  });

  it("another app can neither see nor remove an app's endpoint, and its deliveries stay signed", async () => {
    const { id } = await subscribe(['invoice.paid']);
    const other = await live.service.apps.create({ name: 'Another app' });
    const otherKey = await live.service.apiKeys.create({ appId: other.id, type: 'write' });
    const otherHeaders = { 'x-api-key': otherKey.secret, 'x-api-key-type': 'write', 'x-client-id': other.id };
    const listed = await (await fetch(`${live.baseUrl}/api/v1/webhook-endpoints`, { headers: otherHeaders })).json();
    expect(listed).toMatchObject({ success: true, data: { endpoints: [] } });
    const removal = await fetch(`${live.baseUrl}/api/v1/webhook-endpoints/${id}`, { method: 'DELETE', headers: otherHeaders });
    expect([removal.status, ((await removal.json()) as { code: string }).code]).toEqual([404, 'NOT_FOUND']);
    const charged = await live.charge('pays');
    await receiver.until(() => ofType('invoice.paid', charged.json['data'].invoice.id).length === 1);
    expect(receiver.refused).toEqual([]);
  });
});

describe("the README's receiver", () => {
  it('runs as written, and verifies what the service sends', async () => {
    const block = readmeExample('receiver', 'js');
    // Inside the repository, so that `standardwebhooks` resolves from its node_modules as in an app that installed it.
    const file = path.resolve(__dirname, `../../.readme-receiver-${process.pid}.mjs`);
    writeFileSync(file, block);
    const port = await freePort();
    const { endpoint, secret } = await live.service.appEndpoints.create(live.appId, { url: `http://127.0.0.1:${port}/`, events: ['invoice.paid'] });
    const child = spawn(process.execPath, [file], { env: { PATH: process.env['PATH'] ?? '', WEBHOOK_SECRET: secret, PORT: String(port) } });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    try {
      // Listening once it refuses an unsigned request.
      await eventually(() => fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).then((answer) => answer.status === 400, () => false), { everyMs: 50 });
      const charged = await live.charge('pays', { key: 'readme-receiver-1' });
      const expected = `invoice.paid ${charged.json['data'].invoice.id as string} readme-receiver-1`;
      await eventually(() => output.includes(expected), { withinMs: 10_000, everyMs: 50, seen: () => output });
      const attempts = await live.service.deliveries.attempts(live.appId, { endpointId: endpoint.id });
      expect(attempts.map((attempt) => attempt.status)).toEqual([204]);
    } finally {
      child.kill();
      rmSync(file, { force: true });
    }
  }, 30_000);
});

describe('delivery targets in production', () => {
  let production: LiveService;
  afterEach(() => production?.close());

  it.each([
    ['http://127.0.0.1/hook', {}, /https/],
    ['http://10.0.0.1/hook', {}, /https/],
    ['https://127.0.0.1/hook', {}, /loopback/],
    ['https://10.0.0.1/hook', {}, /private/],
    ['https://[::1]/hook', {}, /loopback/],
    ['https://169.254.169.254/latest', {}, /linkLocal/],
  ] as const)('refuses %s', async (url, env, reason) => {
    production = await startLiveService({ env: { NODE_ENV: 'production', MASTER_KEY: randomBytes(32).toString('hex'), ...env } });
    const response = await fetch(`${production.baseUrl}/api/v1/webhook-endpoints`, { method: 'POST', headers: production.headers, body: JSON.stringify({ url }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(reason);
  });

  it('allows them when the operator says so', async () => {
    production = await startLiveService({
      env: { NODE_ENV: 'production', MASTER_KEY: randomBytes(32).toString('hex'), WEBHOOK_ALLOW_HTTP: '1', WEBHOOK_ALLOW_PRIVATE_TARGETS: '1' },
    });
    for (const url of ['http://127.0.0.1/hook', 'http://10.0.0.1/hook']) {
      const response = await fetch(`${production.baseUrl}/api/v1/webhook-endpoints`, { method: 'POST', headers: production.headers, body: JSON.stringify({ url }) });
      expect(response.status).toBe(201);
    }
  });
});
