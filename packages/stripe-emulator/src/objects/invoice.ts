import Stripe from 'stripe';

export interface InvoiceFields {
  customer: Stripe.Customer;
  currency: string;
  collectionMethod: Stripe.Invoice.CollectionMethod;
  autoAdvance: boolean;
  footer: string | null;
  description: string | null;
  billingReason: Stripe.Invoice.BillingReason;
  subscription: string | null;
  /** A subscription's invoice carries the subscription's metadata in `parent.subscription_details`. */
  subscriptionMetadata?: Record<string, string>;
}

/** A new draft invoice with no lines, as `POST /v1/invoices` creates it. */
export function invoiceObject(
  base: { id: string; created: number; livemode: boolean; metadata: Record<string, string> },
  fields: InvoiceFields,
): Stripe.Invoice {
  const { customer } = fields;
  return {
    ...base,
    object: 'invoice',
    account_country: 'US',
    account_name: 'Stripe emulator',
    account_tax_ids: null,
    amount_due: 0,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: fields.autoAdvance,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: fields.autoAdvance ? base.created + 3600 : null,
    billing_reason: fields.billingReason,
    collection_method: fields.collectionMethod,
    confirmation_secret: null,
    currency: fields.currency,
    custom_fields: null,
    customer: customer.id,
    customer_account: null,
    customer_address: null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: fields.description,
    discounts: [],
    due_date: null,
    effective_at: null,
    ending_balance: null,
    footer: fields.footer,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${base.id}/lines` },
    next_payment_attempt: null,
    number: null,
    on_behalf_of: null,
    parent: fields.subscription
      ? { quote_details: null, subscription_details: { metadata: fields.subscriptionMetadata ?? {}, subscription: fields.subscription }, type: 'subscription_details' }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: base.created,
    period_start: base.created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: 0,
    subtotal_excluding_tax: 0,
    test_clock: null,
    total: 0,
    total_discount_amounts: [],
    total_excluding_tax: 0,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
}

export interface LineTax {
  amount: number;
  taxRate: Stripe.TaxRate;
  taxableAmount: number;
}

export interface LineFields {
  invoice: string | null;
  invoiceItem: string | null;
  subscription: string | null;
  subscriptionItem: string | null;
  price: Stripe.Price;
  quantity: number;
  amount: number;
  taxes: LineTax[];
  period: { start: number; end: number };
  description: string;
}

export function lineItemObject(base: { id: string; livemode: boolean; metadata: Record<string, string> }, fields: LineFields): Stripe.InvoiceLineItem {
  const product = typeof fields.price.product === 'string' ? fields.price.product : fields.price.product.id;
  return {
    ...base,
    object: 'line_item',
    amount: fields.amount,
    currency: fields.price.currency,
    description: fields.description,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: fields.invoice,
    parent: fields.subscriptionItem
      ? {
          invoice_item_details: null,
          subscription_item_details: {
            invoice_item: null, proration: false, proration_details: { credited_items: null },
            subscription: fields.subscription, subscription_item: fields.subscriptionItem,
          },
          type: 'subscription_item_details',
        }
      : {
          invoice_item_details: {
            invoice_item: fields.invoiceItem ?? '', proration: false, proration_details: { credited_items: null }, subscription: null,
          },
          subscription_item_details: null,
          type: 'invoice_item_details',
        },
    period: fields.period,
    pretax_credit_amounts: [],
    pricing: {
      price_details: { price: fields.price.id, product },
      type: 'price_details',
      unit_amount_decimal: fields.price.unit_amount_decimal,
    },
    quantity: fields.quantity,
    quantity_decimal: Stripe.Decimal.from(String(fields.quantity)),
    subscription: fields.subscription,
    subtotal: fields.amount,
    taxes: fields.taxes.map((tax) => ({
      amount: tax.amount,
      tax_behavior: tax.taxRate.inclusive ? 'inclusive' : 'exclusive',
      tax_rate_details: { tax_rate: tax.taxRate.id },
      taxability_reason: 'standard_rated',
      taxable_amount: tax.taxableAmount,
      type: 'tax_rate_details',
    })),
  };
}

export function invoiceItemObject(
  base: { id: string; created: number; livemode: boolean; metadata: Record<string, string> },
  line: LineFields,
  customer: string,
): Stripe.InvoiceItem {
  const product = typeof line.price.product === 'string' ? line.price.product : line.price.product.id;
  return {
    ...base,
    object: 'invoiceitem',
    amount: line.amount,
    currency: line.price.currency,
    customer,
    customer_account: null,
    date: base.created,
    description: line.description,
    discountable: true,
    discounts: [],
    invoice: line.invoice,
    net_amount: line.amount,
    parent: null,
    period: line.period,
    pricing: {
      price_details: { price: line.price.id, product },
      type: 'price_details',
      unit_amount_decimal: line.price.unit_amount_decimal,
    },
    proration: false,
    quantity: line.quantity,
    quantity_decimal: Stripe.Decimal.from(String(line.quantity)),
    tax_rates: line.taxes.map((tax) => tax.taxRate),
    test_clock: null,
  };
}

export function invoicePaymentObject(
  base: { id: string; created: number; livemode: boolean },
  invoice: Stripe.Invoice,
  paymentIntent: string,
): Stripe.InvoicePayment {
  return {
    ...base,
    object: 'invoice_payment',
    amount_paid: null,
    amount_requested: invoice.amount_due,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    payment: { payment_intent: paymentIntent, type: 'payment_intent' },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  };
}
