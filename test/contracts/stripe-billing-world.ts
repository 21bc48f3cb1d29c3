import { Secret } from '../../application/secret';
import { createStripeClient } from '../../adapters/stripe/stripe-client';
import { StripeBilling } from '../../adapters/stripe/stripe-billing';
import { seedTestAccount, startStripeEmulator } from '@tenant-stripe-invoices/stripe-emulator';
import { parseAppId } from '../../domain/ids';
import type { BillingWorld } from './billing-world';

const APP = parseAppId('a0000000-0000-4000-8000-00000000000a');

/** The Stripe adapter talking over HTTP to `baseUrl` (the emulator, or api.stripe.com in test mode). */
export async function openStripeBillingWorld(options: {
  baseUrl: string;
  testKey: string;
  liveKey?: string;
  invoiceCount?: () => Promise<number>;
  forgetIdempotencyKeys?: () => Promise<void>;
  close?: () => Promise<void>;
}): Promise<BillingWorld> {
  const stripe = createStripeClient({ baseUrl: options.baseUrl, timeoutMs: 30_000 });
  const seeded = await seedTestAccount(stripe, options.testKey);
  const billing = new StripeBilling(stripe, { retry: { retries: 2, baseDelayMs: 50, maxDelayMs: 200 } });
  const apiKey = options.testKey;
  return {
    billing,
    seeded,
    test: { appId: APP, mode: 'test', secretKey: new Secret(options.testKey) },
    ...(options.liveKey ? { live: { appId: APP, mode: 'live' as const, secretKey: new Secret(options.liveKey) } } : {}),
    invoiceStatus: async (id) => String((await stripe.invoices.retrieve(id, {}, { apiKey })).status),
    subscriptionStatus: async (id) => (await stripe.subscriptions.retrieve(id, {}, { apiKey })).status,
    ...(options.invoiceCount ? { invoiceCount: options.invoiceCount } : {}),
    ...(options.forgetIdempotencyKeys ? { forgetIdempotencyKeys: options.forgetIdempotencyKeys } : {}),
    close: options.close ?? (async () => undefined),
  };
}

/** The Stripe adapter against a fresh emulator on loopback, with a live and a test key of one account. */
export async function openEmulatorBillingWorld(): Promise<BillingWorld> {
  const emulator = await startStripeEmulator();
  return openStripeBillingWorld({
    baseUrl: emulator.url,
    testKey: 'sk_test_contract',
    liveKey: 'sk_live_contract',
    invoiceCount: async () => emulator.core.stats().test.invoices,
    forgetIdempotencyKeys: async () => emulator.core.idempotency.clear(),
    close: () => emulator.close(),
  });
}
