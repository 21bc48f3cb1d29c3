import { CHARGE_STATUSES } from '../../../application/invoice-charged';
import { INVOICE_MODES } from '../../../domain/modes';
import { builder } from './builder';

export const InvoiceMode = builder.enumType('InvoiceMode', { values: INVOICE_MODES });
export const ChargeStatus = builder.enumType('ChargeStatus', { values: CHARGE_STATUSES });

export const CreateStripeInvoiceInput = builder.inputType('CreateStripeInvoiceInput', {
  fields: (t) => ({
    price: t.string({ required: true, description: 'A Stripe price id (price_…).' }),
    taxRate: t.string({ required: true, description: 'A Stripe tax rate id (txr_…).' }),
    mode: t.field({ type: InvoiceMode, required: true }),
    quantity: t.int({ required: true, description: 'A whole number from 1 to 10 000.' }),
    tenantId: t.id({ description: 'Optional; when given it must equal the tenantId argument.' }),
    userId: t.id({ required: true, description: 'The tenant member on whose behalf the invoice is created.' }),
    test: t.boolean({ description: "true: the app's Stripe test key and the tenant's test customer." }),
    footer: t.string({ description: 'Invoice footer, at most 5 000 characters.' }),
  }),
});

/** GraphQL clients send null for "not given"; the use cases' strict schemas read absent fields only. */
export function withoutNulls(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined));
}
