import type Stripe from 'stripe';

/** What `seedTestAccount` created: one customer per way a charge can go, and the prices and tax rates to use. */
export interface SeededAccount {
  customers: { pays: string; declines: string; requiresAction: string; noCard: string; hasCredit: string };
  prices: { oneTime: string; recurring: string; inclusive: string };
  taxRates: { exclusive: string; inclusive: string };
}

async function customer(stripe: Stripe, options: Stripe.RequestOptions, name: string, card: string | null, balance = 0) {
  const created = await stripe.customers.create(
    {
      name,
      ...(balance ? { balance } : {}),
      ...(card ? { payment_method: card, invoice_settings: { default_payment_method: card } } : {}),
    },
    options,
  );
  return created.id;
}

/**
 * Creates, through the ordinary SDK, what the tests and the local mode need in one Stripe account and mode: the
 * emulator and a real Stripe test account are seeded the same way. Test cards: `pm_card_visa` pays,
 * `pm_card_chargeCustomerFail` is declined, `pm_card_authenticationRequired` needs 3-D Secure.
 */
export async function seedTestAccount(stripe: Stripe, apiKey: string, label = 'tenant-stripe-invoices'): Promise<SeededAccount> {
  const options = { apiKey };
  const product = await stripe.products.create({ name: `${label} seat` }, options);
  const price = (params: Stripe.PriceCreateParams) => stripe.prices.create(params, options).then((created) => created.id);
  const taxRate = (inclusive: boolean) =>
    stripe.taxRates
      .create({ display_name: 'VAT', percentage: 19, inclusive, country: 'DE', jurisdiction: 'DE' }, options)
      .then((created) => created.id);
  return {
    customers: {
      pays: await customer(stripe, options, `${label}: pays`, 'pm_card_visa'),
      declines: await customer(stripe, options, `${label}: declines`, 'pm_card_chargeCustomerFail'),
      requiresAction: await customer(stripe, options, `${label}: needs 3-D Secure`, 'pm_card_authenticationRequired'),
      noCard: await customer(stripe, options, `${label}: no card`, null),
      hasCredit: await customer(stripe, options, `${label}: has credit`, 'pm_card_visa', -1_000_000),
    },
    prices: {
      oneTime: await price({ product: product.id, currency: 'usd', unit_amount: 1999, tax_behavior: 'exclusive' }),
      recurring: await price({ product: product.id, currency: 'usd', unit_amount: 999, tax_behavior: 'exclusive', recurring: { interval: 'month' } }),
      inclusive: await price({ product: product.id, currency: 'eur', unit_amount: 11900, tax_behavior: 'inclusive' }),
    },
    taxRates: { exclusive: await taxRate(false), inclusive: await taxRate(true) },
  };
}
