import { ValidationFailed } from './errors';
import type { CustomerId, PriceId, TaxRateId, TenantId } from './ids';
import type { InvoiceMode, StripeMode } from './modes';
import type { Currency, Money } from './money';
import type { Price } from './price';
import type { TaxPolicy } from './tax-policy';
import type { Tenant } from './tenant';
import { isWellFormedText } from './text';

export const MAX_QUANTITY = 10_000;
/** Stripe's own limit on an invoice footer. */
export const MAX_FOOTER_LENGTH = 5_000;

// Tab, line feed and carriage return are fine in a footer; other control characters are not printable text.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export interface InvoiceDraftProps {
  tenant: Tenant;
  customer: CustomerId;
  stripeMode: StripeMode;
  mode: InvoiceMode;
  price: Price;
  taxPolicy: TaxPolicy;
  quantity: number;
  footer?: string | undefined;
}

/** The invoice about to be charged: one line (price × quantity) with its tax, checked before Stripe is called. */
export class Invoice {
  private constructor(
    readonly tenantId: TenantId,
    readonly customer: CustomerId,
    readonly mode: InvoiceMode,
    readonly livemode: boolean,
    readonly priceId: PriceId,
    readonly taxPolicy: TaxPolicy,
    readonly quantity: number,
    readonly unitAmount: Money,
    /** Line amount; for an inclusive rate it already contains the tax (Stripe's meaning of subtotal). */
    readonly subtotal: Money,
    readonly tax: Money,
    readonly total: Money,
    readonly footer: string | undefined,
  ) {}

  static draft(props: InvoiceDraftProps): Invoice {
    const quantity = checkQuantity(props.quantity);
    const footer = checkFooter(props.footer);
    const unitAmount = props.price.unitAmountFor(props.mode);
    props.taxPolicy.assertApplicable(props.price, props.tenant.billingCountry);

    const subtotal = unitAmount.times(quantity);
    const tax = props.taxPolicy.taxOn(subtotal);
    const total = props.taxPolicy.inclusive ? subtotal : subtotal.add(tax);
    return new Invoice(
      props.tenant.id,
      props.customer,
      props.mode,
      props.stripeMode === 'live',
      props.price.id,
      props.taxPolicy,
      quantity,
      unitAmount,
      subtotal,
      tax,
      total,
      footer,
    );
  }

  get taxRateId(): TaxRateId {
    return this.taxPolicy.id;
  }

  get currency(): Currency {
    return this.total.currency;
  }

  get totalExcludingTax(): number {
    return this.total.amount - this.tax.amount;
  }
}

function checkQuantity(quantity: number): number {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw new ValidationFailed(
      'invalid_quantity',
      `The quantity must be a whole number from 1 to ${MAX_QUANTITY}, not ${quantity}.`,
    );
  }
  return quantity;
}

function checkFooter(footer: string | undefined): string | undefined {
  if (footer === undefined || footer === '') return undefined;
  if ([...footer].length > MAX_FOOTER_LENGTH) {
    throw new ValidationFailed('footer_too_long', `The footer must be at most ${MAX_FOOTER_LENGTH} characters.`);
  }
  if (CONTROL_CHARACTERS.test(footer)) {
    throw new ValidationFailed('footer_has_control_characters', 'The footer contains control characters.');
  }
  if (!isWellFormedText(footer)) {
    throw new ValidationFailed('footer_not_unicode', 'The footer is not well-formed Unicode (it holds a lone UTF-16 surrogate).');
  }
  return footer;
}
