import type Stripe from 'stripe';

export function customerObject(
  base: { id: string; created: number; livemode: boolean; metadata: Record<string, string> },
  fields: { email: string | null; name: string | null; description: string | null; balance: number },
): Stripe.Customer {
  return {
    ...base,
    object: 'customer',
    address: null,
    balance: fields.balance,
    currency: null,
    default_source: null,
    delinquent: false,
    description: fields.description,
    discount: null,
    email: fields.email,
    invoice_prefix: base.id.slice(4, 12).toUpperCase(),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    name: fields.name,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  };
}

/** How a test card behaves when charged off-session: the three behaviours of Stripe's test payment methods. */
export type CardBehaviour = 'succeeds' | 'declines' | 'requires_action';

/** Stripe's test PaymentMethod tokens that can be attached to a customer, with the card each stands for. */
export const TEST_CARDS: Record<string, { behaviour: CardBehaviour; brand: string; last4: string }> = {
  pm_card_visa: { behaviour: 'succeeds', brand: 'visa', last4: '4242' },
  pm_card_mastercard: { behaviour: 'succeeds', brand: 'mastercard', last4: '4444' },
  pm_card_chargeCustomerFail: { behaviour: 'declines', brand: 'visa', last4: '0341' },
  pm_card_authenticationRequired: { behaviour: 'requires_action', brand: 'visa', last4: '3184' },
};

export function paymentMethodObject(
  base: { id: string; created: number; livemode: boolean },
  card: { brand: string; last4: string },
  customer: string,
): Stripe.PaymentMethod {
  return {
    ...base,
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: { address: null, email: null, name: null, phone: null, tax_id: null },
    card: {
      brand: card.brand,
      checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
      country: 'US',
      display_brand: card.brand,
      exp_month: 12,
      exp_year: new Date().getUTCFullYear() + 3,
      fingerprint: `fp${card.last4}${card.brand.slice(0, 4)}`,
      funding: 'credit',
      generated_from: null,
      last4: card.last4,
      networks: { available: [card.brand], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    customer,
    customer_account: null,
    metadata: {},
    type: 'card',
  };
}
