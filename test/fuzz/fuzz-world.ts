import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createUseCases } from '../../adapters/composition/container';
import { buildHttpServer } from '../../adapters/http/http-server';
import { PrometheusMetrics } from '../../adapters/http/prometheus-metrics';
import { openDatabase } from '../../adapters/sql/open-database';
import { SecretBox } from '../../adapters/sql/secret-box';
import { createSqlStore } from '../../adapters/sql/sql-store';
import { SystemClock } from '../../adapters/system/system-clock';
import type { PriceId, TaxRateId } from '../../domain/ids';
import { parseCountryCode } from '../../domain/tenant';
import { InMemoryBilling } from '../fakes/in-memory-billing';
import { FakeStripeLifecycle } from '../fakes/fake-stripe-lifecycle';
import { RecordingWebhookSender } from '../fakes/recording-webhook-sender';
import { StandardWebhookSigner } from '../../adapters/webhooks/standard-webhook-signer';
import { StripeWebhookVerifier } from '../../adapters/stripe/stripe-webhook-verifier';

const STRIPE_KEY = 'sk_test_fuzzAccount0000';

/**
 * The production HTTP server on the real SQLite store, with the in-memory billing fake standing in for Stripe (the
 * fuzz aims at everything before Stripe), listening on a loopback port; every log line is kept.
 */
export async function startFuzzWorld() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-fuzz-'));
  const database = await openDatabase({ url: undefined, dataDir });
  const masterKey = randomBytes(32);
  const store = createSqlStore(database, new SecretBox(masterKey), new SystemClock());
  const billing = new InMemoryBilling();
  billing.addCustomer(STRIPE_KEY, 'cus_fuzzPays', 'succeeds');
  billing.addPrice(STRIPE_KEY, { id: 'price_fuzzOnce' as PriceId, type: 'one_time', currency: 'usd', unitAmount: 1999, taxBehavior: 'exclusive', active: true });
  billing.addPrice(STRIPE_KEY, { id: 'price_fuzzMonthly' as PriceId, type: 'recurring', currency: 'usd', unitAmount: 999, taxBehavior: 'exclusive', active: true });
  billing.addTaxRate(STRIPE_KEY, { id: 'txr_fuzzVat' as TaxRateId, percentage: 19, inclusive: false, active: true, country: parseCountryCode('DE') });
  const useCases = createUseCases({
    ...store, billing, stripeLifecycle: new FakeStripeLifecycle(), webhookVerifier: new StripeWebhookVerifier(), rateLimit: { perSecond: 0, burst: 0 },
    webhookSender: new RecordingWebhookSender(), webhookSigner: new StandardWebhookSigner(),
  });

  const app = await useCases.apps.create({ name: 'Fuzzed' });
  const write = await useCases.apiKeys.create({ appId: app.id, type: 'write' });
  const read = await useCases.apiKeys.create({ appId: app.id, type: 'read' });
  await useCases.stripeKeys.setKey({ appId: app.id, mode: 'test', secretKey: STRIPE_KEY });
  const userId = randomUUID();
  const tenant = await useCases.tenants.create({ appId: app.id, billingCountry: 'DE', testCustomer: 'cus_fuzzPays', members: [userId] });

  const logs: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => done(void logs.push(String(chunk))) }));
  const server = buildHttpServer({ useCases, metrics: new PrometheusMetrics(), ready: async () => true, production: true, logger });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    appId: app.id,
    tenantId: tenant.id,
    userId,
    secrets: [write.secret, read.secret, STRIPE_KEY, masterKey.toString('base64'), masterKey.toString('hex')],
    credentials: { 'x-api-key': write.secret, 'x-api-key-type': 'write', 'x-client-id': app.id },
    readCredentials: { 'x-api-key': read.secret, 'x-api-key-type': 'read', 'x-client-id': app.id },
    validBody: { price: 'price_fuzzOnce', taxRate: 'txr_fuzzVat', mode: 'payment', quantity: 1, userId, test: true },
    logs,
    async close() {
      await server.close();
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type FuzzWorld = Awaited<ReturnType<typeof startFuzzWorld>>;
