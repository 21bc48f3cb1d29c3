import { z } from 'zod';
import { TenantMismatch } from '../domain/errors';
import { parsePriceId, parseTaxRateId, parseTenantId, parseUserId } from '../domain/ids';
import { MAX_FOOTER_LENGTH, MAX_QUANTITY } from '../domain/invoice';
import { INVOICE_MODES } from '../domain/modes';
import { parsedBy, validated } from './input';
import type { InvoiceRequest } from './invoice-request';

/** The request body of contract §1: strict, so an unknown field is an error rather than silently ignored. */
export const CreateStripeInvoiceInput = z.strictObject({
  price: parsedBy(parsePriceId, 'A Stripe price id (price_…): one-time for mode payment, recurring for mode subscription.'),
  taxRate: parsedBy(parseTaxRateId, 'A Stripe tax rate id (txr_…).'),
  mode: z.enum(INVOICE_MODES),
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
  tenantId: parsedBy(parseTenantId, "Optional; when given, the path's tenant id (UUID).").optional(),
  userId: parsedBy(parseUserId, 'The tenant member (UUID) on whose behalf the invoice is created.'),
  test: z.boolean().default(false),
  // The footer's rule is the domain's (MAX_FOOTER_LENGTH characters counted as Unicode code points, as JSON Schema's
  // maxLength counts them; zod's max would count UTF-16 units), checked where the invoice is drafted so that a refusal
  // keeps its reason (footer_too_long). The schema states that same limit, so the OpenAPI document shows what is
  // enforced; the server's body limit keeps absurd bodies out.
  footer: z
    .string()
    .meta({
      maxLength: MAX_FOOTER_LENGTH,
      description: `Printed on the invoice: at most ${MAX_FOOTER_LENGTH} characters (Unicode code points), no ASCII control character but tab, line feed and carriage return; empty means none.`,
    })
    .optional(),
});
export type CreateStripeInvoiceInput = z.input<typeof CreateStripeInvoiceInput>;

/** The path's tenant and the body as one validated request; ValidationFailed names every bad field. */
export function invoiceRequestFrom(pathTenantId: string, body: unknown): InvoiceRequest {
  const tenantId = parseTenantId(pathTenantId);
  const input = validated(CreateStripeInvoiceInput, body, 'request body', '(body)');
  if (input.tenantId !== undefined && input.tenantId !== tenantId) throw new TenantMismatch();
  return {
    tenantId,
    userId: input.userId,
    priceId: input.price,
    taxRateId: input.taxRate,
    mode: input.mode,
    quantity: input.quantity,
    test: input.test,
    footer: input.footer,
  };
}

/** The request as one canonical text: same tenant, body (defaults applied) and key type ⇔ same fingerprint. */
export function fingerprintOf(request: InvoiceRequest, keyType: string): string {
  const fields: Record<string, unknown> = { ...request, keyType };
  return JSON.stringify(Object.keys(fields).sort().map((name) => [name, fields[name] ?? null]));
}
