import type Stripe from 'stripe';
import type { BilledInvoice, InvoiceState, PaymentIntentView } from '../../application/billing-provider';
import { parsePriceId, parseTaxRateId } from '../../domain/ids';
import { Price } from '../../domain/price';
import { TaxPolicy } from '../../domain/tax-policy';
import { parseCountryCode } from '../../domain/tenant';

/** Stripe's object as plain JSON: what Stripe sent, without the SDK's extras (`lastResponse`). */
function plain<T>(object: T): Record<string, unknown> {
  return JSON.parse(JSON.stringify(object)) as Record<string, unknown>;
}

export function paymentIntentView(intent: Stripe.PaymentIntent): PaymentIntentView {
  return {
    id: intent.id,
    status: intent.status,
    amount: intent.amount,
    currency: intent.currency,
    clientSecret: intent.client_secret,
    object: plain(intent),
  };
}

export function billedInvoice(invoice: Stripe.Invoice): BilledInvoice {
  return {
    id: invoice.id,
    number: invoice.number,
    status: String(invoice.status),
    currency: invoice.currency,
    subtotal: invoice.subtotal,
    tax: (invoice.total_taxes ?? []).reduce((sum, tax) => sum + tax.amount, 0),
    total: invoice.total,
    amountPaid: invoice.amount_paid,
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    invoicePdf: invoice.invoice_pdf ?? null,
    livemode: invoice.livemode,
  };
}

/** The invoice's own payment (`is_default`), whose PaymentIntent is what a caller wants back. */
export function defaultPayment(invoice: Stripe.Invoice): Stripe.InvoicePayment | undefined {
  const payments = invoice.payments?.data ?? [];
  return payments.find((payment) => payment.is_default) ?? payments[0];
}

/** The invoice as the port sees it; its PaymentIntent is the expanded one of its payment unless given apart. */
export function invoiceState(invoice: Stripe.Invoice, intent?: Stripe.PaymentIntent | null): InvoiceState {
  const expanded = defaultPayment(invoice)?.payment.payment_intent;
  const paymentIntent = intent !== undefined ? intent : typeof expanded === 'object' ? expanded : null;
  return {
    invoice: billedInvoice(invoice),
    lineCount: invoice.lines?.data.length ?? 0,
    paymentIntent: paymentIntent ? paymentIntentView(paymentIntent) : null,
  };
}

export function priceFrom(price: Stripe.Price): Price {
  return Price.create({
    id: parsePriceId(price.id),
    type: price.type === 'recurring' ? 'recurring' : 'one_time',
    currency: price.currency,
    unitAmount: price.billing_scheme === 'per_unit' ? price.unit_amount : null,
    taxBehavior: taxBehaviorOf(price.tax_behavior),
    active: price.active,
    metered: price.recurring?.usage_type === 'metered',
  });
}

export function taxPolicyFrom(rate: Stripe.TaxRate): TaxPolicy {
  return TaxPolicy.create({
    id: parseTaxRateId(rate.id),
    percentage: rate.percentage,
    inclusive: rate.inclusive,
    active: rate.active,
    country: rate.country ? parseCountryCode(rate.country) : undefined,
    jurisdiction: rate.jurisdiction ?? undefined,
  });
}

function taxBehaviorOf(behavior: Stripe.Price.TaxBehavior | null): 'inclusive' | 'exclusive' | 'unspecified' {
  if (behavior === 'inclusive') return 'inclusive';
  if (behavior === 'exclusive') return 'exclusive';
  return 'unspecified';
}
