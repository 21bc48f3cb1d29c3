import { inject, injectable } from 'inversify';
import {
  Forbidden,
  PriceNotUsable,
  TaxRateNotApplicable,
  TenantMismatch,
  ValidationFailed,
} from '../domain/errors';
import type { PriceId, TaxRateId } from '../domain/ids';
import type { InvoiceMode } from '../domain/modes';
import type { Caller } from './caller';
import { invoiceRequestFrom } from './create-stripe-invoice-input';
import { StripeAccountRejected, UpstreamUnavailable } from './errors';
import { PrepareCharge } from './prepare-charge';

export interface InvoicePreview {
  currency: string;
  subtotal: number;
  tax: number;
  total: number;
  lines: { price: PriceId; quantity: number; unitAmount: number; amount: number; tax: number }[];
  taxRate: { id: TaxRateId; percentage: number; inclusive: boolean };
  mode: InvoiceMode;
  livemode: boolean;
}

export interface PreviewStripeInvoiceCommand {
  caller: Caller;
  tenantId: string;
  /** The same body as the create's. */
  input: unknown;
}

export const PREVIEW_STRIPE_INVOICE_ERRORS = [
  ValidationFailed,
  TenantMismatch,
  Forbidden,
  PriceNotUsable,
  TaxRateNotApplicable,
  UpstreamUnavailable,
  StripeAccountRejected,
] as const;

/**
 * What CreateStripeInvoice would charge for the same body, for a read or a write key: the same checks and the same
 * draft (the domain's Invoice, whose totals Stripe computes alike), and nothing created at Stripe or stored.
 */
@injectable()
export class PreviewStripeInvoice {
  constructor(@inject(PrepareCharge) private readonly prepare: PrepareCharge) {}

  async execute(command: PreviewStripeInvoiceCommand): Promise<InvoicePreview> {
    const request = invoiceRequestFrom(command.tenantId, command.input);
    const { invoice } = await this.prepare.execute(command.caller, request);
    return {
      currency: invoice.currency,
      subtotal: invoice.subtotal.amount,
      tax: invoice.tax.amount,
      total: invoice.total.amount,
      lines: [{ price: invoice.priceId, quantity: invoice.quantity, unitAmount: invoice.unitAmount.amount, amount: invoice.subtotal.amount, tax: invoice.tax.amount }],
      taxRate: { id: invoice.taxRateId, percentage: invoice.taxPolicy.percentage, inclusive: invoice.taxPolicy.inclusive },
      mode: invoice.mode,
      livemode: invoice.livemode,
    };
  }
}
