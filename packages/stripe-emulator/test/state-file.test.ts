import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startStripeEmulator, type RunningEmulator } from '../src/emulator-server';
import { basics, sdkFor } from './emulator-support';
import { webhookReceiver } from './webhook-receiver';

let dir: string;
let running: RunningEmulator[];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'emulator-state-'));
  running = [];
});
afterEach(async () => {
  await Promise.all(running.map((emulator) => emulator.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function start(stateFile: string, webhookRetryScheduleMs = [50]): Promise<RunningEmulator> {
  const emulator = await startStripeEmulator({ stateFile, webhookRetryScheduleMs });
  running.push(emulator);
  return emulator;
}

/** What is in the file right now, as a process killed at this moment would leave it. */
function onDisk(file: string): string {
  return readFileSync(file, 'utf8');
}

describe('the emulator with a state file', () => {
  it('has written each object and idempotent answer before the answer arrives', async () => {
    const file = path.join(dir, 'state.json');
    const emulator = await start(file);
    const stripe = sdkFor(emulator, 'sk_test_acme');
    const { customer } = await basics(stripe);
    const invoice = await stripe.invoices.create({ customer }, { idempotencyKey: 'op-1:invoice.create' });
    const saved = onDisk(file);
    expect(saved).toContain(invoice.id);
    expect(saved).toContain('op-1:invoice.create');
  });

  it('answers after a restart as if it had never stopped: same objects, same replays', async () => {
    const file = path.join(dir, 'state.json');
    const first = await start(file);
    const stripe = sdkFor(first, 'sk_test_acme');
    const { customer } = await basics(stripe);
    const invoice = await stripe.invoices.create({ customer }, { idempotencyKey: 'op-2:invoice.create' });
    // A second emulator on the same file, without the first one saving on close: a kill, as far as the file knows.
    first.core.onChange = undefined;
    const second = await start(file);
    const again = sdkFor(second, 'sk_test_acme');
    expect((await again.invoices.retrieve(invoice.id)).id).toBe(invoice.id);
    const replayed = await again.invoices.create({ customer }, { idempotencyKey: 'op-2:invoice.create' });
    expect(replayed.id).toBe(invoice.id);
    expect(replayed.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(second.core.stats().test.invoices).toBe(1);
  });

  it('reads a state file written before idempotent answers were kept', async () => {
    const file = path.join(dir, 'state.json');
    const first = await start(file);
    const { customer } = await basics(sdkFor(first, 'sk_test_acme'));
    const { accounts } = JSON.parse(onDisk(file)) as { accounts: Record<string, unknown> };
    const older = path.join(dir, 'older.json');
    writeFileSync(older, JSON.stringify(accounts));
    const second = await start(older);
    expect((await sdkFor(second, 'sk_test_acme').customers.retrieve(customer)).id).toBe(customer);
  });

  it('keeps events, endpoints and owed deliveries: a restarted emulator delivers what it still owed', async () => {
    const receiver = await webhookReceiver();
    try {
      const file = path.join(dir, 'state.json');
      const first = await start(file, [300]);
      const stripe = sdkFor(first, 'sk_test_acme');
      const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['customer.created'] });
      receiver.useSecret(endpoint.secret!);
      receiver.answers.push(500);
      const customer = await stripe.customers.create({ name: 'owed' });
      while (!first.core.webhooks.log.some((entry) => entry.status === 500)) await new Promise((resolve) => setTimeout(resolve, 10));
      first.core.onChange = undefined;
      first.core.webhooks.stop();

      const second = await start(file);
      await receiver.until((received) => received.length === 1);
      expect((receiver.received[0]!.event.data.object as { id: string }).id).toBe(customer.id);
      const again = sdkFor(second, 'sk_test_acme');
      expect((await again.events.list({ type: 'customer.created' })).data).toHaveLength(1);
      expect((await again.webhookEndpoints.retrieve(endpoint.id)).url).toBe(receiver.url);
    } finally {
      await receiver.close();
    }
  });
});
