import type Stripe from 'stripe';
import type { AccountStore } from './account-store';
import { invalidRequest } from './emulator-errors';
import { invoiceItemObject, lineItemObject, type LineFields } from './objects/invoice';
import { stripeObjectId } from './object-ids';
import { lineTaxes, minimumCharge } from './tax-arithmetic';

export interface NewLine {
  price: Stripe.Price;
  quantity: number;
  taxRates: Stripe.TaxRate[];
  metadata: Record<string, string>;
  description?: string | undefined;
  subscription?: { id: string; item: string; periodEnd: number };
}

/** Prices one line: amount, taxes and period, with a fresh invoice item id outside subscriptions. */
function lineFields(store: AccountStore, invoice: string | null, line: NewLine, now: number): LineFields {
  const amount = (line.price.unit_amount ?? 0) * line.quantity;
  const product = store.products.get(String(line.price.product));
  return {
    invoice,
    invoiceItem: line.subscription ? null : stripeObjectId('ii'),
    subscription: line.subscription?.id ?? null,
    subscriptionItem: line.subscription?.item ?? null,
    price: line.price,
    quantity: line.quantity,
    amount,
    taxes: lineTaxes(amount, line.taxRates).map((tax) => ({ amount: tax.amount, taxRate: tax.rate, taxableAmount: tax.taxable })),
    period: { start: now, end: line.subscription?.periodEnd ?? now },
    description: line.description ?? `${line.quantity} × ${line.price.nickname ?? product?.name ?? line.price.id}`,
  };
}

function storeInvoiceItem(store: AccountStore, fields: LineFields, customer: string, metadata: Record<string, string>, now: number) {
  const base = { id: fields.invoiceItem!, created: now, livemode: store.livemode, metadata };
  return store.put(store.invoiceItems, invoiceItemObject(base, fields, customer));
}

/** Adds one priced line (and, outside subscriptions, its invoice item) to a draft invoice. */
export function addLine(store: AccountStore, invoice: Stripe.Invoice, line: NewLine, now: number): LineFields {
  store.touch(invoice);
  const fields = lineFields(store, invoice.id, line, now);
  if (fields.invoiceItem) storeInvoiceItem(store, fields, String(invoice.customer), line.metadata, now);
  const item = lineItemObject({ id: stripeObjectId('il'), livemode: store.livemode, metadata: line.metadata }, fields);
  invoice.lines.data.push(JSON.parse(JSON.stringify(item)) as Stripe.InvoiceLineItem);
  recomputeTotals(invoice);
  return fields;
}

/** An invoice item on no invoice yet: the next invoice that includes pending items will take it. */
export function addPendingItem(store: AccountStore, customer: string, line: NewLine, now: number): Stripe.InvoiceItem {
  const item = storeInvoiceItem(store, lineFields(store, null, line, now), customer, line.metadata, now);
  store.markPending(item, true);
  return item;
}

/** `pending_invoice_items_behavior: include`: the customer's pending items (same currency) move onto the draft. */
export function attachPendingItems(store: AccountStore, invoice: Stripe.Invoice): void {
  store.touch(invoice);
  for (const item of store.pendingItemsOf(String(invoice.customer))) {
    if (item.currency !== invoice.currency) continue;
    const priceId = item.pricing?.price_details?.price;
    const line: NewLine = {
      price: store.prices.get(String(priceId))!,
      quantity: item.quantity,
      taxRates: (item.tax_rates ?? []).map((rate) => store.taxRates.get(rate.id)!),
      metadata: item.metadata ?? {},
      description: item.description ?? undefined,
    };
    const fields = { ...lineFields(store, invoice.id, line, item.date), invoiceItem: item.id };
    item.invoice = invoice.id;
    store.markPending(item, false);
    const lineItem = lineItemObject({ id: stripeObjectId('il'), livemode: store.livemode, metadata: line.metadata }, fields);
    invoice.lines.data.push(JSON.parse(JSON.stringify(lineItem)) as Stripe.InvoiceLineItem);
  }
  recomputeTotals(invoice);
}

/** Subtotal, taxes and total from the lines: inclusive tax stays inside the subtotal, exclusive tax is added. */
export function recomputeTotals(invoice: Stripe.Invoice): void {
  const byRate = new Map<string, Stripe.Invoice.TotalTax>();
  let subtotal = 0;
  let inclusiveTax = 0;
  let exclusiveTax = 0;
  for (const line of invoice.lines.data) {
    subtotal += line.amount;
    for (const tax of line.taxes ?? []) {
      if (tax.tax_behavior === 'inclusive') inclusiveTax += tax.amount;
      else exclusiveTax += tax.amount;
      const rateId = tax.tax_rate_details?.tax_rate ?? '';
      const total = byRate.get(rateId);
      if (total) {
        total.amount += tax.amount;
        total.taxable_amount = (total.taxable_amount ?? 0) + (tax.taxable_amount ?? 0);
      } else byRate.set(rateId, { ...tax, tax_behavior: tax.tax_behavior });
    }
  }
  invoice.subtotal = subtotal;
  invoice.subtotal_excluding_tax = subtotal - inclusiveTax;
  invoice.total = subtotal + exclusiveTax;
  invoice.total_excluding_tax = invoice.total - inclusiveTax - exclusiveTax;
  invoice.total_taxes = [...byRate.values()];
  invoice.amount_due = invoice.total;
  invoice.amount_remaining = invoice.total;
}

/**
 * Draft → open: applies the customer's balance (credit lowers the amount due), numbers the invoice, and marks it
 * paid at once when nothing is due or the amount is below the currency minimum (carried to the customer balance).
 */
export function finalizeInvoice(store: AccountStore, invoice: Stripe.Invoice, now: number, hostedBaseUrl: string): void {
  if (invoice.status !== 'draft') {
    throw invalidRequest("This invoice is already finalized, you can't re-finalize a non-draft invoice.", {
      code: 'invoice_not_editable',
    });
  }
  store.touch(invoice);
  const customer = store.touch(store.customers.get(String(invoice.customer))!);
  const balance = customer.balance;
  invoice.starting_balance = balance;
  invoice.amount_due = Math.max(0, invoice.total + balance);
  invoice.ending_balance = Math.min(0, invoice.total + balance);
  customer.balance = invoice.ending_balance;
  invoice.amount_remaining = invoice.amount_due;
  const sequence = customer.next_invoice_sequence ?? 1;
  customer.next_invoice_sequence = sequence + 1;
  invoice.number = `${customer.invoice_prefix}-${String(sequence).padStart(4, '0')}`;
  invoice.hosted_invoice_url = `${hostedBaseUrl}/_emulator/hosted/invoices/${invoice.id}`;
  invoice.invoice_pdf = `${hostedBaseUrl}/_emulator/hosted/invoices/${invoice.id}/pdf`;
  invoice.status = 'open';
  invoice.status_transitions.finalized_at = now;
  invoice.effective_at = now;
  invoice.automatically_finalizes_at = null;
  if (invoice.amount_due < minimumCharge(invoice.currency)) {
    customer.balance += invoice.amount_due;
    markPaid(invoice, 0, now);
  }
}

export function voidInvoice(store: AccountStore, invoice: Stripe.Invoice, now: number): void {
  if (invoice.status !== 'open' && invoice.status !== 'uncollectible') {
    throw invalidRequest(`You can only void open or uncollectible invoices; this invoice is ${invoice.status}.`);
  }
  store.touch(invoice).status = 'void';
  invoice.status_transitions.voided_at = now;
  for (const payment of store.paymentsOf(invoice.id)) {
    if (payment.status !== 'open') continue;
    store.touch(payment).status = 'canceled';
    payment.status_transitions.canceled_at = now;
    const intent = store.paymentIntents.get(String(payment.payment.payment_intent));
    if (intent) Object.assign(store.touch(intent), { status: 'canceled', canceled_at: now, cancellation_reason: 'void_invoice' });
  }
}

export function markPaid(invoice: Stripe.Invoice, amountPaid: number, now: number): void {
  invoice.status = 'paid';
  invoice.amount_paid = amountPaid;
  invoice.amount_remaining = 0;
  invoice.status_transitions.paid_at = now;
}
