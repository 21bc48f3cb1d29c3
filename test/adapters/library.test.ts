import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as library from '../../adapters/composition/library';
import { FixedClock } from '../fakes/fixed-clock';
import { InMemoryApiKeys } from '../fakes/in-memory-api-keys';
import { InMemoryApps } from '../fakes/in-memory-apps';
import { InMemoryBilling } from '../fakes/in-memory-billing';
import { InMemoryChargeLedger } from '../fakes/in-memory-charge-ledger';
import { InMemoryIdempotencyRecords } from '../fakes/in-memory-idempotency-records';
import { FakeStripeLifecycle } from '../fakes/fake-stripe-lifecycle';
import { InMemoryEventInbox } from '../fakes/in-memory-event-inbox';
import { InMemoryStripeAccounts } from '../fakes/in-memory-stripe-accounts';
import { InMemoryWebhookSecrets } from '../fakes/in-memory-webhook-secrets';
import { InMemoryInvoices } from '../fakes/in-memory-invoices';
import { InMemoryAppEndpoints, InMemoryWebhookOutbox } from '../fakes/in-memory-outbound';
import { RecordingWebhookSender } from '../fakes/recording-webhook-sender';
import { InMemoryTenants } from '../fakes/in-memory-tenants';
import { APP, KEYS, TENANTS, body, buildWorld } from '../support/world';
import { InMemoryExpiredRecords } from '../fakes/in-memory-expired-records';

function ports() {
  const appEndpoints = new InMemoryAppEndpoints();
  const outbox = new InMemoryWebhookOutbox(appEndpoints);
  const idempotencyRecords = new InMemoryIdempotencyRecords();
  const chargeLedger = new InMemoryChargeLedger(new InMemoryInvoices(outbox), idempotencyRecords);
  const eventInbox = new InMemoryEventInbox();
  return {
    apps: new InMemoryApps(),
    apiKeys: new InMemoryApiKeys(),
    tenants: new InMemoryTenants(),
    stripeAccounts: new InMemoryStripeAccounts(),
    idempotencyRecords,
    chargeLedger,
    invoices: chargeLedger.invoices,
    webhookSecrets: new InMemoryWebhookSecrets(),
    eventInbox,
    expiredRecords: new InMemoryExpiredRecords({ idempotencyRecords, eventInbox, outbox, chargeLedger }),
    billing: new InMemoryBilling(),
    stripeLifecycle: new FakeStripeLifecycle(),
    webhookVerifier: new library.StripeWebhookVerifier(),
    appEndpoints,
    outbox,
    webhookSender: new RecordingWebhookSender(),
    webhookSigner: new library.StandardWebhookSigner(),
  };
}

describe('the library entry point', () => {
  it('hands out one object of each use case, and no container', () => {
    const useCases = library.createUseCases(ports());
    expect(Object.keys(useCases).sort()).toEqual(
      [
        'apiKeys', 'appEndpoints', 'apps', 'authenticate', 'catchUpStripeEvents', 'createStripeInvoice', 'deliverAppEvents', 'deliveries',
        'invoices', 'ledger', 'previewStripeInvoice', 'processStripeEvents', 'purgeExpired', 'rateLimit', 'receiveStripeEvent', 'reconcile', 'stripeKeys',
        'tenants', 'webhooks',
      ],
    );
    expect(typeof useCases.createStripeInvoice.execute).toBe('function');
    expect(Object.isFrozen(useCases)).toBe(true);
    expect(useCases).not.toHaveProperty('container');
  });

  it('uses the system clock and random UUIDs unless given others', async () => {
    const given = ports();
    const useCases = library.createUseCases(given);
    const app = await useCases.apps.create({ name: 'Clocked' });
    expect(Math.abs(app.createdAt.getTime() - Date.now())).toBeLessThan(5_000);
    expect(app.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const fixed = library.createUseCases({ ...ports(), clock: new FixedClock(new Date('2030-01-01T00:00:00Z')) });
    expect((await fixed.apps.create({ name: 'Fixed' })).createdAt.toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('authenticates and charges in-process, as an embedding program would', async () => {
    const { useCases } = buildWorld();
    const caller = await useCases.authenticate.execute({ apiKey: KEYS.write, apiKeyType: 'write', clientId: APP });
    const result = await useCases.createStripeInvoice.execute({ caller, tenantId: TENANTS.pays, input: body() });
    expect(result.status).toBe('succeeded');
  });

  it('opens the real service from a config: use cases, readiness, and close', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-library-'));
    try {
      const config = library.loadConfig({ DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('hex') }, { createStore: true });
      const service = await library.openService(config);
      const app = await service.apps.create({ name: 'Embedded' });
      expect((await service.apps.list()).map((listed) => listed.id)).toEqual([app.id]);
      expect(await service.ready()).toBe(true);
      expect(service.storage).toContain(dataDir);
      await service.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('exports the typed errors with their contract codes, and the error list of the charge', () => {
    expect(new library.NoPaymentMethod().code).toBe('NO_PAYMENT_METHOD');
    expect(new library.UpstreamUnavailable('unreachable', 'x').code).toBe('UPSTREAM_UNAVAILABLE');
    expect(library.CREATE_STRIPE_INVOICE_ERRORS.map((type) => type.name)).toContain('PaymentDeclined');
    expect(String(new library.Secret('sk_live_123'))).toBe('[redacted]');
    expect(JSON.stringify({ key: new library.Secret('sk_live_123') })).toBe('{"key":"[redacted]"}');
  });
});
