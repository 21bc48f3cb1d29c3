import type { RetryPolicy } from '../../adapters/stripe/retry-policy';
import type { Clock } from '../../application/ports';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../adapters/composition/config';
import { openService } from '../../adapters/composition/open-service';
import { buildHttpServer } from '../../adapters/http/http-server';
import { PrometheusMetrics } from '../../adapters/http/prometheus-metrics';
import { seedTestAccount, startStripeEmulator, type FaultRule, type RunningEmulator } from '@tenant-stripe-invoices/stripe-emulator';
import { createStripeClient } from '../../adapters/stripe/stripe-client';
import { workInBackground, type BackgroundWork } from '../../adapters/composition/background-work';
import { eventually } from './eventually';

const STRIPE_KEY = 'sk_test_liveService';

export interface LiveCharge {
  status: number;
  body: string;
  json: Record<string, any>;
}

/**
 * The whole service in this process: the real SQL store (SQLite, or PostgreSQL at `databaseUrl`), the real Stripe
 * adapter against an emulator on loopback, and the real HTTP server on a loopback port. Seeded like local mode.
 */
export async function startLiveService(
  options: { emulator?: RunningEmulator; databaseUrl?: string; retries?: number; webhooks?: boolean; env?: Record<string, string>; clock?: Clock; retry?: RetryPolicy; observeQuery?: (sql: string) => void } = {},
) {
  const emulator = options.emulator ?? (await startStripeEmulator());
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-live-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    MASTER_KEY: randomBytes(32).toString('hex'),
    STRIPE_API_BASE: emulator.url,
    STRIPE_TIMEOUT_MS: '1500',
    RATE_LIMIT_PER_SECOND: '0',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
  }, { createStore: true });
  let events: BackgroundWork | undefined;
  let dispatching: BackgroundWork | undefined;
  const service = await openService(config, {
    retry: options.retry ?? { retries: options.retries ?? 2, baseDelayMs: 20, maxDelayMs: 100 },
    eventsArrived: { notify: () => events?.notify() },
    ...(options.clock ? { overrides: { clock: options.clock } } : {}),
    ...(options.observeQuery ? { observeQuery: options.observeQuery } : {}),
  });
  const seeded = await seedTestAccount(createStripeClient({ baseUrl: emulator.url, timeoutMs: 5_000 }), STRIPE_KEY);
  const app = await service.apps.create({ name: 'Live service' });
  const key = await service.apiKeys.create({ appId: app.id, type: 'write' });
  const readKey = await service.apiKeys.create({ appId: app.id, type: 'read' });
  await service.stripeKeys.setKey({ appId: app.id, mode: 'test', secretKey: STRIPE_KEY });
  const tenants = {} as Record<'pays' | 'declines' | 'requiresAction', { tenantId: string; userId: string }>;
  for (const name of ['pays', 'declines', 'requiresAction'] as const) {
    const userId = randomUUID();
    const tenant = await service.tenants.create({ appId: app.id, billingCountry: 'DE', testCustomer: seeded.customers[name], members: [userId] });
    tenants[name] = { tenantId: tenant.id, userId };
  }
  const server = buildHttpServer({
    useCases: service,
    metrics: new PrometheusMetrics(),
    ready: service.ready,
    production: false,
    logger: pino({ level: 'silent' }),
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  const headers = { 'content-type': 'application/json', 'x-api-key': key.secret, 'x-api-key-type': 'write', 'x-client-id': app.id };
  if (options.webhooks) {
    // As a deployment does it: the endpoint registered at Stripe (the emulator), and the inbox worked in the background.
    await service.webhooks.connect({ appId: app.id, mode: 'test', baseUrl });
    events = workInBackground(service.processStripeEvents, 100, () => undefined, (error) => console.error(error));
    dispatching = workInBackground(service.deliverAppEvents, 50, () => undefined, (error) => console.error(error));
  }
  const addTenant = async (testCustomer: string) => {
    const userId = randomUUID();
    const tenant = await service.tenants.create({ appId: app.id, billingCountry: 'DE', testCustomer, members: [userId] });
    return { tenantId: tenant.id, userId };
  };

  const input = (tenant: keyof typeof tenants, mode: 'payment' | 'subscription' = 'payment', quantity = 1) => ({
    price: mode === 'payment' ? seeded.prices.oneTime : seeded.prices.recurring,
    taxRate: seeded.taxRates.exclusive,
    mode,
    quantity,
    userId: tenants[tenant].userId,
    test: true,
  });

  return {
    emulator,
    service,
    dataDir,
    seeded,
    stripeKey: STRIPE_KEY,
    addTenant,
    baseUrl,
    headers,
    readKey: readKey.secret,
    appId: app.id,
    tenants,
    input,
    /** One POST over real HTTP, as a caller sends it. */
    async charge(tenant: keyof typeof tenants, request: { key?: string; mode?: 'payment' | 'subscription'; quantity?: number; to?: string } = {}): Promise<LiveCharge> {
      const response = await fetch(`${request.to ?? baseUrl}/api/v1/tenants/${tenants[tenant].tenantId}/stripe-invoices`, {
        method: 'POST',
        headers: { ...headers, ...(request.key ? { 'idempotency-key': request.key } : {}) },
        body: JSON.stringify(input(tenant, request.mode, request.quantity)),
      });
      const body = await response.text();
      return { status: response.status, body, json: JSON.parse(body) as Record<string, any> };
    },
    fault: (rule: FaultRule) => emulator.core.faults.add(rule),
    stats: () => emulator.core.stats().test,
    ledger: () => service.ledger.list({ appId: app.id, limit: 10_000 }),
    /** One invoice as the read API answers it now. */
    async invoice(tenantId: string, invoiceId: string): Promise<Record<string, any>> {
      const response = await fetch(`${baseUrl}/api/v1/tenants/${tenantId}/stripe-invoices/${invoiceId}`, { headers });
      return ((await response.json()) as { data: { invoice: Record<string, any> } }).data.invoice;
    },
    /** Waits until the read API shows what `done` expects of the invoice, or fails with what it showed last. */
    async until(tenantId: string, invoiceId: string, done: (invoice: Record<string, any>) => boolean, withinMs = 5_000): Promise<Record<string, any>> {
      let invoice: Record<string, any> = {};
      await eventually(async () => done((invoice = await this.invoice(tenantId, invoiceId))), { withinMs, everyMs: 50, seen: () => invoice });
      return invoice;
    },
    async close() {
      await events?.stop();
      await dispatching?.stop();
      await server.close();
      await service.close();
      if (!options.emulator) await emulator.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type LiveService = Awaited<ReturnType<typeof startLiveService>>;
