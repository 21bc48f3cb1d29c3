import { Secret } from '../../application/secret';
import { parseAppId, type PriceId, type TaxRateId } from '../../domain/ids';
import { parseCountryCode } from '../../domain/tenant';
import { InMemoryBilling } from '../fakes/in-memory-billing';
import type { BillingWorld } from './billing-world';

const APP = parseAppId('a0000000-0000-4000-8000-00000000000a');

/** The in-memory fake, seeded with what `seedTestAccount` creates in Stripe. */
export async function openFakeBillingWorld(): Promise<BillingWorld> {
  const billing = new InMemoryBilling();
  const key = 'sk_test_fake';
  const de = parseCountryCode('DE');
  const seeded = {
    customers: { pays: 'cus_pays', declines: 'cus_declines', requiresAction: 'cus_3ds', noCard: 'cus_nocard', hasCredit: 'cus_credit' },
    prices: { oneTime: 'price_onetime', recurring: 'price_recurring', inclusive: 'price_inclusive' },
    taxRates: { exclusive: 'txr_exclusive', inclusive: 'txr_inclusive' },
  };
  billing.addCustomer(key, seeded.customers.pays, 'succeeds');
  billing.addCustomer(key, seeded.customers.declines, 'declines');
  billing.addCustomer(key, seeded.customers.requiresAction, 'requires_action');
  billing.addCustomer(key, seeded.customers.noCard, null);
  billing.addCustomer(key, seeded.customers.hasCredit, 'succeeds', 1_000_000);
  const price = { active: true, taxBehavior: 'exclusive' as const, currency: 'usd' };
  billing.addPrice(key, { ...price, id: seeded.prices.oneTime as PriceId, type: 'one_time', unitAmount: 1999 });
  billing.addPrice(key, { ...price, id: seeded.prices.recurring as PriceId, type: 'recurring', unitAmount: 999 });
  billing.addPrice(key, { ...price, id: seeded.prices.inclusive as PriceId, type: 'one_time', unitAmount: 11900, currency: 'eur', taxBehavior: 'inclusive' });
  billing.addTaxRate(key, { id: seeded.taxRates.exclusive as TaxRateId, percentage: 19, inclusive: false, active: true, country: de });
  billing.addTaxRate(key, { id: seeded.taxRates.inclusive as TaxRateId, percentage: 19, inclusive: true, active: true, country: de });

  return {
    billing,
    seeded,
    test: { appId: APP, mode: 'test', secretKey: new Secret(key) },
    live: { appId: APP, mode: 'live', secretKey: new Secret('sk_live_fake') },
    invoiceStatus: async (id) => billing.invoices.get(id)?.status ?? 'missing',
    subscriptionStatus: async (id) => billing.subscriptions.get(id)?.status ?? 'missing',
    invoiceCount: async () => billing.invoices.size,
    forgetIdempotencyKeys: async () => billing.forgetIdempotencyKeys(),
    close: async () => undefined,
  };
}
