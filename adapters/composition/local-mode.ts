import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { UseCases } from '../../application/use-cases';
import type { DocsSetup } from '../http/rest/docs-routes';
import type { ServiceConfig } from './config';
import { writeAtomically, type LocalEmulator } from './local-emulator';
import { createStripeClient } from '../stripe/stripe-client';

/** `<DATA_DIR>/local-credentials.json`: what a script needs to call the local service. */
export const LocalCredentials = z.object({
  baseUrl: z.string(),
  stripeEmulatorUrl: z.string(),
  /** The emulator account's keys, for calling it directly (`curl -u sk_test_localEmulator: …/v1/customers`). */
  stripeSecretKeys: z.object({ test: z.string(), live: z.string() }),
  clientId: z.string(),
  writeKey: z.string(),
  readKey: z.string(),
  priceOneTime: z.string(),
  priceRecurring: z.string(),
  taxRate: z.string(),
  tenants: z.object({
    pays: z.object({ tenantId: z.string(), userId: z.string() }),
    declines: z.object({ tenantId: z.string(), userId: z.string() }),
    requiresAction: z.object({ tenantId: z.string(), userId: z.string() }),
  }),
});
export type LocalCredentials = z.infer<typeof LocalCredentials>;

/** The emulator's account in local mode, in both modes. */
export const LOCAL_STRIPE_KEYS = { test: 'sk_test_localEmulator', live: 'sk_live_localEmulator' } as const;
const TENANT_NAMES = ['pays', 'declines', 'requiresAction'] as const;

/** The saved local setup, if it still works: its key authenticates and the emulator still has its objects. */
async function reusable(useCases: UseCases, emulator: LocalEmulator, file: string): Promise<LocalSetup | undefined> {
  if (!existsSync(file)) return undefined;
  const parsed = LocalCredentials.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) return undefined;
  const saved = parsed.data;
  try {
    await useCases.authenticate.execute({ apiKey: saved.writeKey, apiKeyType: 'write', clientId: saved.clientId });
    const stripe = createStripeClient({ baseUrl: emulator.url, timeoutMs: 5_000 });
    await stripe.prices.retrieve(saved.priceOneTime, {}, { apiKey: LOCAL_STRIPE_KEYS.test });
    const { baseUrl: _baseUrl, stripeEmulatorUrl: _emulatorUrl, stripeSecretKeys: _keys, ...setup } = saved;
    return setup;
  } catch {
    return undefined;
  }
}

/** Creates the local world: an app with a write and a read key, and three tenants whose cards pay, decline, need 3-D Secure. */
async function seed(useCases: UseCases, emulator: LocalEmulator): Promise<LocalSetup> {
  const stripe = createStripeClient({ baseUrl: emulator.url, timeoutMs: 5_000 });
  const test = await emulator.seedAccount(stripe, LOCAL_STRIPE_KEYS.test, 'local');
  const live = await emulator.seedAccount(stripe, LOCAL_STRIPE_KEYS.live, 'local');
  const app = await useCases.apps.create({ name: 'Local app' });
  const write = await useCases.apiKeys.create({ appId: app.id, type: 'write' });
  const read = await useCases.apiKeys.create({ appId: app.id, type: 'read' });
  await useCases.stripeKeys.setKey({ appId: app.id, mode: 'test', secretKey: LOCAL_STRIPE_KEYS.test });
  await useCases.stripeKeys.setKey({ appId: app.id, mode: 'live', secretKey: LOCAL_STRIPE_KEYS.live });
  const tenants = {} as LocalCredentials['tenants'];
  for (const name of TENANT_NAMES) {
    const userId = randomUUID();
    const tenant = await useCases.tenants.create({
      appId: app.id, billingCountry: 'DE', liveCustomer: live.customers[name], testCustomer: test.customers[name], members: [userId],
    });
    tenants[name] = { tenantId: tenant.id, userId };
  }
  return {
    clientId: app.id,
    writeKey: write.secret,
    readKey: read.secret,
    priceOneTime: test.prices.oneTime,
    priceRecurring: test.prices.recurring,
    taxRate: test.taxRates.exclusive,
    tenants,
  };
}

export type LocalSetup = Omit<LocalCredentials, 'baseUrl' | 'stripeEmulatorUrl' | 'stripeSecretKeys'>;

/** Reuses the saved local setup when it still works, or seeds a new one. */
export async function ensureLocalSetup(useCases: UseCases, emulator: LocalEmulator, config: ServiceConfig) {
  const saved = await reusable(useCases, emulator, credentialsFile(config));
  return { setup: saved ?? (await seed(useCases, emulator)), reused: saved !== undefined };
}

export function credentialsFile(config: ServiceConfig): string {
  return path.join(config.dataDir, 'local-credentials.json');
}

/** Writes `local-credentials.json` (owner-readable only) with the URLs of this run. */
export function writeLocalCredentials(config: ServiceConfig, credentials: LocalCredentials): LocalCredentials {
  const ordered = LocalCredentials.parse(credentials);
  writeAtomically(credentialsFile(config), `${JSON.stringify(ordered, null, 2)}\n`);
  return ordered;
}

/** Local mode's API reference: authorized with the write key, its examples charging the paying tenant (201). */
export function localDocsSetup(setup: LocalSetup): DocsSetup {
  const { tenantId, userId } = setup.tenants.pays;
  return {
    credentials: { 'X-API-KEY': setup.writeKey, 'X-API-KEY-TYPE': 'write', 'X-CLIENT-ID': setup.clientId },
    examples: { tenantId, createBody: { price: setup.priceOneTime, taxRate: setup.taxRate, mode: 'payment', quantity: 1, userId, test: true } },
  };
}
