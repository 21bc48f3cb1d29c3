import type Stripe from 'stripe';
import { emulatorClient } from '../src/sdk-client';
import { startStripeEmulator, type EmulatorOptions, type RunningEmulator } from '../src/emulator-server';
import type { FaultRule } from '../src/faults';

/** A raw SDK client on the emulator with the SDK's own retries off, so each fault is seen as it is. */
export function sdkFor(emulator: RunningEmulator, apiKey: string, timeout = 10_000): Stripe {
  return emulatorClient(emulator.url, apiKey, timeout);
}

export type EmulatorEnv = Awaited<ReturnType<typeof withEmulator>>;

/** A fresh emulator for each test, and an SDK on its `sk_test_acme` account, handed to `use`; closed after the test. */
export function emulatorForEachTest(use: (made: { env: EmulatorEnv; stripe: Stripe }) => void, options: EmulatorOptions = {}): void {
  let current: EmulatorEnv | undefined;
  beforeEach(async () => {
    current = await withEmulator(options);
    use({ env: current, stripe: sdkFor(current.emulator, 'sk_test_acme') });
  });
  afterEach(() => current?.emulator.close());
}

export async function withEmulator(options: EmulatorOptions = {}) {
  const emulator = await startStripeEmulator(options);
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${emulator.url}/_emulator/${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  return {
    emulator,
    control,
    fault: (rule: FaultRule) => control('POST', 'faults', rule),
    stats: () => emulator.core.stats(),
    log: () => emulator.core.requests,
  };
}

/** A customer with a card, a one-time price and a tax rate in one account: the minimum to invoice. */
export async function basics(stripe: Stripe, card = 'pm_card_visa') {
  const customer = await stripe.customers.create({ payment_method: card, invoice_settings: { default_payment_method: card } });
  const price = await stripe.prices.create({ currency: 'usd', unit_amount: 1999, product_data: { name: 'Seat' }, tax_behavior: 'exclusive' });
  const taxRate = await stripe.taxRates.create({ display_name: 'VAT', percentage: 19, inclusive: false });
  return { customer: customer.id, price: price.id, taxRate: taxRate.id };
}
