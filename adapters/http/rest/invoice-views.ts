import { z } from 'zod';
import { envelope, envelopeSchema } from './envelopes';
import { INVOICE_STATUSES, PAYMENT_STATUSES, SUBSCRIPTION_STATUSES, invoiceData, type InvoicePage, type InvoiceRecord } from '../../../application/invoice-record';
import type { InvoicePreview } from '../../../application/preview-stripe-invoice';
import { INVOICE_MODES } from '../../../domain/modes';

export function listEnvelope(page: InvoicePage) {
  const count = page.invoices.length;
  return envelope(`${count} invoice${count === 1 ? '' : 's'}${page.hasMore ? ', and more' : ''}.`, {
    invoices: page.invoices.map(invoiceData),
    hasMore: page.hasMore,
  });
}

export function invoiceEnvelope(invoice: InvoiceRecord) {
  return envelope(`Invoice ${invoice.number ?? invoice.id}.`, { invoice: invoiceData(invoice) });
}

export function previewEnvelope(preview: InvoicePreview) {
  return envelope('What the charge would be; nothing was created at Stripe or stored.', { preview });
}

// The same shapes as zod schemas, for the OpenAPI document.
const nullableString = z.string().nullable();
export const InvoiceSchema = z.object({
  id: z.string(),
  number: nullableString,
  status: z.enum(INVOICE_STATUSES).describe("Stripe's status of the invoice."),
  paymentStatus: z.enum(PAYMENT_STATUSES).describe('Where its payment stands.'),
  mode: z.enum(INVOICE_MODES),
  livemode: z.boolean(),
  currency: z.string(),
  subtotal: z.number().int(),
  tax: z.number().int(),
  total: z.number().int(),
  amountPaid: z.number().int(),
  amountRefunded: z.number().int(),
  hostedInvoiceUrl: nullableString,
  invoicePdf: nullableString,
  paymentIntentId: nullableString,
  subscriptionId: nullableString,
  subscriptionStatus: z.enum(SUBSCRIPTION_STATUSES).nullable().describe("The status of the invoice's subscription, kept current."),
  billingReason: nullableString.describe('manual (a one-off charge), subscription_create, or subscription_cycle (a renewal).'),
  tenantId: z.string(),
  userId: z.string(),
  idempotencyKey: nullableString.describe('The Idempotency-Key the charge was sent with.'),
  createdAt: z.string().describe('ISO 8601'),
  updatedAt: z.string().describe('ISO 8601: when the service last read the invoice from Stripe.'),
});

export const ListEnvelopeSchema = envelopeSchema(z.object({ invoices: z.array(InvoiceSchema).describe('Newest first.'), hasMore: z.boolean() }));
export const InvoiceEnvelopeSchema = envelopeSchema(z.object({ invoice: InvoiceSchema }));
export const PreviewEnvelopeSchema = envelopeSchema(
  z.object({
    preview: z.object({
      currency: z.string(),
      subtotal: z.number().int(),
      tax: z.number().int(),
      total: z.number().int(),
      lines: z.array(z.object({ price: z.string(), quantity: z.number().int(), unitAmount: z.number().int(), amount: z.number().int(), tax: z.number().int() })),
      taxRate: z.object({ id: z.string(), percentage: z.number(), inclusive: z.boolean() }),
      mode: z.enum(INVOICE_MODES),
      livemode: z.boolean(),
    }),
  }),
);
