import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { workInBackground, type BackgroundWork } from '../../adapters/composition/background-work';
import { loadConfig } from '../../adapters/composition/config';
import { openService, type Service } from '../../adapters/composition/open-service';
import { buildHttpServer } from '../../adapters/http/http-server';
import { PrometheusMetrics } from '../../adapters/http/prometheus-metrics';
import { STRIPE_API, createStripeClient } from '../../adapters/stripe/stripe-client';
import { seedTestAccount } from '@tenant-stripe-invoices/stripe-emulator';

// Opt-in: `STRIPE_TEST_SECRET_KEY=sk_test_… npm run test:stripe`. The invoice's later life against real Stripe test
// mode: a refund made at Stripe reaches the store through Stripe's event list (reconcile's catch-up), and, when
// Stripe can reach this machine at STRIPE_WEBHOOK_PUBLIC_URL (a tunnel to STRIPE_WEBHOOK_PORT), through a webhook.
const key = process.env['STRIPE_TEST_SECRET_KEY'];
const publicUrl = process.env['STRIPE_WEBHOOK_PUBLIC_URL'];
const port = Number(process.env['STRIPE_WEBHOOK_PORT'] ?? 4242);
const baseUrl = process.env['STRIPE_API_BASE'] ?? STRIPE_API;

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, withinMs = 90_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - started > withinMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

if (!key) {
  describe("Stripe's webhooks and events in test mode", () => {
    it.skip('is skipped: STRIPE_TEST_SECRET_KEY is not set, so nothing was sent to Stripe', () => undefined);
  });
} else if (!key.startsWith('sk_test_')) {
  throw new Error('STRIPE_TEST_SECRET_KEY must be a test-mode secret key (sk_test_…); refusing to run against live mode.');
} else {
  describe("Stripe's webhooks and events in test mode", () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-stripe-webhooks-'));
    let service: Service;
    let server: ReturnType<typeof buildHttpServer>;
    let events: BackgroundWork | undefined;
    let appId: string;
    let tenant: { tenantId: string; userId: string };
    let seeded: Awaited<ReturnType<typeof seedTestAccount>>;
    const stripe = createStripeClient({ baseUrl, timeoutMs: 30_000 });

    beforeAll(async () => {
      const config = loadConfig({ DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('hex'), STRIPE_API_BASE: baseUrl, RATE_LIMIT_PER_SECOND: '0' }, { createStore: true });
      service = await openService(config, { eventsArrived: { notify: () => events?.notify() } });
      seeded = await seedTestAccount(stripe, key, 'tenant-stripe-invoices webhooks');
      appId = (await service.apps.create({ name: 'Stripe test mode' })).id;
      await service.stripeKeys.setKey({ appId, mode: 'test', secretKey: key });
      const userId = randomUUID();
      tenant = { tenantId: (await service.tenants.create({ appId, billingCountry: 'DE', testCustomer: seeded.customers.pays, members: [userId] })).id, userId };
      server = buildHttpServer({ useCases: service, metrics: new PrometheusMetrics(), ready: service.ready, production: false, logger: pino({ level: 'silent' }) });
      await server.listen({ port, host: '127.0.0.1' });
      events = workInBackground(service.processStripeEvents, 500, () => undefined, (error) => console.error(error));
    }, 120_000);

    afterAll(async () => {
      const endpoint = appId && (await service.webhooks.status(appId)).find((status) => status.mode === 'test')?.endpointId;
      if (endpoint) await stripe.webhookEndpoints.del(endpoint, {}, { apiKey: key });
      await events?.stop();
      await server?.close();
      await service?.close();
      rmSync(dataDir, { recursive: true, force: true });
    });

    /** A paid charge through the service, then a partial refund made at Stripe. */
    async function chargedAndRefunded(amount: number) {
      const caller = { appId: appId as never, keyId: randomUUID() as never, keyType: 'write' as const };
      const charged = await service.createStripeInvoice.execute({
        caller, tenantId: tenant.tenantId,
        input: { price: seeded.prices.oneTime, taxRate: seeded.taxRates.exclusive, mode: 'payment', quantity: 1, userId: tenant.userId, test: true },
      });
      expect(charged.status).toBe('succeeded');
      await stripe.refunds.create({ payment_intent: charged.paymentIntent!.id, amount }, { apiKey: key });
      return charged.invoice.id;
    }

    const read = (invoiceId: string) => service.invoices.get({ appId: appId as never, keyId: randomUUID() as never, keyType: 'read' }, tenant.tenantId, invoiceId);

    it("brings a refund made at Stripe into the store from Stripe's event list (reconcile)", async () => {
      const invoiceId = await chargedAndRefunded(100);
      const seen = await eventually(
        async () => {
          await service.reconcile.run();
          return read(invoiceId);
        },
        (invoice) => invoice.paymentStatus === 'partially_refunded',
      );
      expect(seen).toMatchObject({ paymentStatus: 'partially_refunded', amountRefunded: 100, status: 'paid' });
    }, 180_000);

    (publicUrl ? it : it.skip)('brings a refund into the store through a webhook Stripe delivers (needs STRIPE_WEBHOOK_PUBLIC_URL)', async () => {
      const connected = await service.webhooks.connect({ appId, mode: 'test', baseUrl: publicUrl! });
      expect(connected.url).toBe(`${publicUrl!.replace(/\/+$/, '')}/api/v1/stripe/webhooks/${appId}/test`);
      const invoiceId = await chargedAndRefunded(200);
      const seen = await eventually(() => read(invoiceId), (invoice) => invoice.paymentStatus === 'partially_refunded');
      expect(seen).toMatchObject({ paymentStatus: 'partially_refunded', amountRefunded: 200 });
      const received = await service.processStripeEvents.backlog();
      expect(received.backlog).toBe(0);
    }, 180_000);
  });
}
