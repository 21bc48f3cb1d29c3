import { z } from 'zod';
import { describeCharge, type InvoiceCharged } from '../../../application/invoice-charged';
import { STATUS_OF } from './error-table';

/** Any success answer: the contract's envelope around `data`. */
export function envelope<T>(message: string, data: T) {
  return { success: true as const, message, error: null, data };
}

/** The same envelope as a zod schema, for the OpenAPI document. */
export const envelopeSchema = <T extends z.ZodType>(data: T) => z.object({ success: z.literal(true), message: z.string(), error: z.null(), data });

/** The success envelope of contract §1; `data.paymentIntents` keeps the original API's name. */
export function successEnvelope(result: InvoiceCharged) {
  const { invoice } = result;
  return {
    success: true,
    message: describeCharge(result),
    error: null,
    data: {
      paymentIntents: result.paymentIntent?.object ?? null,
      invoice: {
        id: invoice.id,
        number: invoice.number,
        status: invoice.status,
        currency: invoice.currency,
        subtotal: invoice.subtotal,
        tax: invoice.tax,
        total: invoice.total,
        hostedInvoiceUrl: invoice.hostedInvoiceUrl,
        invoicePdf: invoice.invoicePdf,
        livemode: invoice.livemode,
      },
      ...(result.subscription ? { subscription: result.subscription } : {}),
    },
  };
}

// The same shapes as zod schemas, for the OpenAPI document.
export const SuccessEnvelopeSchema = z.object({
  success: z.literal(true),
  message: z.string(),
  error: z.null(),
  data: z.object({
    paymentIntents: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("Stripe's PaymentIntent object as Stripe returned it; null when nothing was charged."),
    invoice: z.object({
      id: z.string(),
      number: z.string().nullable(),
      status: z.string(),
      currency: z.string(),
      subtotal: z.number().int(),
      tax: z.number().int(),
      total: z.number().int(),
      hostedInvoiceUrl: z.string().nullable(),
      invoicePdf: z.string().nullable(),
      livemode: z.boolean(),
    }),
    subscription: z.object({ id: z.string(), status: z.string() }).optional().describe('Only for mode=subscription.'),
  }),
});

export const ErrorEnvelopeSchema = z.object({
  success: z.literal(false),
  error: z.string().describe('A sentence for people; never a stack trace or a secret.'),
  code: z.enum(Object.keys(STATUS_OF) as [keyof typeof STATUS_OF, ...(keyof typeof STATUS_OF)[]]),
  message: z.null(),
  data: z.null(),
  details: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('VALIDATION_FAILED: { issues: [{ path, message }] }. PAYMENT_DECLINED: { declineCode, invoiceId, subscriptionId }.'),
});
