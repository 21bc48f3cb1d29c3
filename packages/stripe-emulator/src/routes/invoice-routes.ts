import type Stripe from 'stripe';
import { invalidRequest, noSuch } from '../emulator-errors';
import { addLine, addPendingItem, attachPendingItems, finalizeInvoice, voidInvoice } from '../invoicing';
import { attemptPayment, paymentError } from '../payments';
import { usablePrice, usableTaxRates } from '../line-inputs';
import { invoiceObject } from '../objects/invoice';
import { Params } from '../params';
import type { Route, RouteContext } from '../route';

function invoiceOf({ store, ids }: RouteContext): Stripe.Invoice {
  const invoice = store.invoices.get(ids[0]!);
  if (!invoice) throw noSuch('invoice', ids[0]!);
  return invoice;
}

function createInvoice({ store, values, now }: RouteContext): Stripe.Invoice {
  const params = new Params(values, [
    'customer', 'collection_method', 'auto_advance', 'footer', 'description', 'pending_invoice_items_behavior',
    'currency', 'metadata', 'days_until_due', 'default_payment_method',
  ]);
  const customerId = params.requiredString('customer');
  const customer = store.customers.get(customerId);
  if (!customer) throw noSuch('customer', customerId, 'customer');
  const footer = params.string('footer') ?? null;
  if (footer !== null && [...footer].length > 5000) {
    throw invalidRequest('Invalid string: footer must be at most 5000 characters.', { param: 'footer' });
  }
  const invoice = store.put(
    store.invoices,
    invoiceObject(store.base('in', now, params.metadata()), {
      customer,
      currency: params.string('currency')?.toLowerCase() ?? customer.currency ?? 'usd',
      collectionMethod: params.oneOf('collection_method', ['charge_automatically', 'send_invoice'] as const) ?? 'charge_automatically',
      autoAdvance: params.boolean('auto_advance') ?? false,
      footer,
      description: params.string('description') ?? null,
      billingReason: 'manual',
      subscription: null,
    }),
  );
  const behaviour = params.oneOf('pending_invoice_items_behavior', ['exclude', 'include'] as const) ?? 'exclude';
  if (behaviour === 'include') attachPendingItems(store, invoice);
  return invoice;
}

function addLines(context: RouteContext): Stripe.Invoice {
  const { store, values, now } = context;
  const invoice = invoiceOf(context);
  const params = new Params(values, ['lines', 'metadata', 'invoice_metadata']);
  if (invoice.status !== 'draft') {
    throw invalidRequest('You can only add lines to a draft invoice.', { code: 'invoice_not_editable' });
  }
  const lines = params.list('lines', ['pricing', 'quantity', 'tax_rates', 'description', 'metadata']);
  if (lines.length === 0) throw invalidRequest('Missing required param: lines.', { code: 'parameter_missing', param: 'lines' });
  lines.forEach((line, index) => {
    const pricing = line.nested('pricing', ['price']);
    if (!pricing) throw invalidRequest(`Missing required param: lines[${index}][pricing].`, { code: 'parameter_missing' });
    const price = usablePrice(store, pricing.requiredString('price'), `lines[${index}][pricing][price]`, 'one_time');
    if (price.currency !== invoice.currency) {
      throw invalidRequest(`The price's currency (${price.currency}) must match the invoice's currency (${invoice.currency}).`, {
        param: `lines[${index}][pricing][price]`,
      });
    }
    const quantity = line.integer('quantity') ?? 1;
    if (quantity < 0) throw invalidRequest('Invalid integer: quantity must be at least 0.', { param: `lines[${index}][quantity]` });
    const taxRates = usableTaxRates(store, line.strings('tax_rates'), `lines[${index}][tax_rates]`);
    addLine(store, invoice, { price, quantity, taxRates, metadata: line.metadata(), description: line.string('description') }, now);
  });
  return invoice;
}

function pay(context: RouteContext): Stripe.Invoice {
  const { store, values, now, settings } = context;
  const invoice = invoiceOf(context);
  const params = new Params(values, ['off_session', 'payment_method', 'paid_out_of_band', 'forgive', 'mandate', 'source']);
  if (invoice.status === 'paid') throw invalidRequest('Invoice is already paid.');
  if (invoice.status === 'void') throw invalidRequest('This invoice has been voided and can no longer be paid.');
  if (invoice.status === 'draft') {
    if (!settings.payDraftInvoices) {
      throw invalidRequest('This invoice is a draft; finalize it before paying it.', { code: 'invoice_not_editable' });
    }
    finalizeInvoice(store, invoice, now, settings.baseUrl);
  }
  const error = paymentError(attemptPayment(store, invoice, now, params.string('payment_method')));
  if (error) throw error;
  return invoice;
}

function createInvoiceItem({ store, values, now }: RouteContext): Stripe.InvoiceItem {
  const params = new Params(values, ['customer', 'invoice', 'pricing', 'quantity', 'tax_rates', 'description', 'metadata']);
  const customerId = params.requiredString('customer');
  if (!store.customers.has(customerId)) throw noSuch('customer', customerId, 'customer');
  const pricing = params.nested('pricing', ['price']);
  if (!pricing) throw invalidRequest('Missing required param: pricing.', { code: 'parameter_missing', param: 'pricing' });
  const price = usablePrice(store, pricing.requiredString('price'), 'pricing[price]', 'one_time');
  const line = {
    price,
    quantity: params.integer('quantity') ?? 1,
    taxRates: usableTaxRates(store, params.strings('tax_rates'), 'tax_rates'),
    metadata: params.metadata(),
    description: params.string('description'),
  };
  const invoiceId = params.string('invoice');
  if (!invoiceId) return addPendingItem(store, customerId, line, now);
  const invoice = store.invoices.get(invoiceId);
  if (!invoice) throw noSuch('invoice', invoiceId, 'invoice');
  if (invoice.status !== 'draft') {
    throw invalidRequest('You can only add invoice items to a draft invoice.', { code: 'invoice_not_editable' });
  }
  return store.invoiceItems.get(addLine(store, invoice, line, now).invoiceItem!)!;
}

export const invoiceRoutes: Route[] = [
  { method: 'POST', pattern: /^\/v1\/invoices$/, operation: 'invoice.create', returns: 'invoice', handle: createInvoice },
  { method: 'GET', pattern: /^\/v1\/invoices\/([^/]+)$/, operation: 'invoice.retrieve', returns: 'invoice', handle: invoiceOf },
  { method: 'POST', pattern: /^\/v1\/invoices\/([^/]+)\/add_lines$/, operation: 'invoice.add_lines', returns: 'invoice', handle: addLines },
  {
    method: 'POST', pattern: /^\/v1\/invoices\/([^/]+)\/finalize$/, operation: 'invoice.finalize', returns: 'invoice',
    handle: (context) => {
      const invoice = invoiceOf(context);
      new Params(context.values, ['auto_advance']);
      finalizeInvoice(context.store, invoice, context.now, context.settings.baseUrl);
      return invoice;
    },
  },
  { method: 'POST', pattern: /^\/v1\/invoices\/([^/]+)\/pay$/, operation: 'invoice.pay', returns: 'invoice', handle: pay },
  {
    method: 'POST', pattern: /^\/v1\/invoices\/([^/]+)\/void$/, operation: 'invoice.void', returns: 'invoice',
    handle: (context) => {
      const invoice = invoiceOf(context);
      new Params(context.values, []);
      voidInvoice(context.store, invoice, context.now);
      return invoice;
    },
  },
  {
    method: 'DELETE', pattern: /^\/v1\/invoices\/([^/]+)$/, operation: 'invoice.delete', returns: 'invoice',
    handle: (context) => {
      const invoice = invoiceOf(context);
      if (invoice.status !== 'draft') throw invalidRequest('You can only delete draft invoices.', { code: 'invoice_not_editable' });
      context.store.touch(invoice);
      context.store.invoices.delete(invoice.id);
      return { id: invoice.id, object: 'invoice', deleted: true };
    },
  },
  { method: 'POST', pattern: /^\/v1\/invoiceitems$/, operation: 'invoice_item.create', returns: 'invoiceitem', handle: createInvoiceItem },
  {
    method: 'GET', pattern: /^\/v1\/invoice_payments$/, operation: 'invoice_payment.list', returns: 'list:invoice_payment',
    handle: ({ store, values }) => {
      const params = new Params(values, ['invoice', 'limit', 'status']);
      const invoice = params.requiredString('invoice');
      const data = store.paymentsOf(invoice);
      return { object: 'list' as const, data, has_more: false, url: '/v1/invoice_payments' };
    },
  },
];

