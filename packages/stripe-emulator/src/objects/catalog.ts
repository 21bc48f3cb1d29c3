import Stripe from 'stripe';

interface Base {
  id: string;
  created: number;
  livemode: boolean;
  metadata: Record<string, string>;
}

export function productObject(base: Base, name: string, description: string | null): Stripe.Product {
  return {
    ...base,
    object: 'product',
    active: true,
    default_price: null,
    description,
    images: [],
    marketing_features: [],
    name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: base.created,
    url: null,
  };
}

export interface PriceFields {
  product: string;
  currency: string;
  unitAmount: number;
  taxBehavior: Stripe.Price.TaxBehavior;
  recurring: { interval: Stripe.Price.Recurring.Interval; intervalCount: number; usageType: Stripe.Price.Recurring.UsageType } | null;
  active: boolean;
  nickname: string | null;
}

export function priceObject(base: Base, fields: PriceFields): Stripe.Price {
  return {
    ...base,
    object: 'price',
    active: fields.active,
    billing_scheme: 'per_unit',
    currency: fields.currency,
    custom_unit_amount: null,
    lookup_key: null,
    nickname: fields.nickname,
    product: fields.product,
    recurring: fields.recurring && {
      interval: fields.recurring.interval,
      interval_count: fields.recurring.intervalCount,
      meter: null,
      trial_period_days: null,
      usage_type: fields.recurring.usageType,
    },
    tax_behavior: fields.taxBehavior,
    tiers_mode: null,
    transform_quantity: null,
    type: fields.recurring ? 'recurring' : 'one_time',
    unit_amount: fields.unitAmount,
    unit_amount_decimal: Stripe.Decimal.from(String(fields.unitAmount)),
  };
}

export interface TaxRateFields {
  displayName: string;
  percentage: number;
  inclusive: boolean;
  active: boolean;
  country: string | null;
  jurisdiction: string | null;
  description: string | null;
}

export function taxRateObject(base: Base, fields: TaxRateFields): Stripe.TaxRate {
  return {
    ...base,
    object: 'tax_rate',
    active: fields.active,
    country: fields.country,
    description: fields.description,
    display_name: fields.displayName,
    effective_percentage: fields.percentage,
    flat_amount: null,
    inclusive: fields.inclusive,
    jurisdiction: fields.jurisdiction,
    jurisdiction_level: null,
    percentage: fields.percentage,
    rate_type: 'percentage',
    state: null,
    tax_type: null,
  };
}
