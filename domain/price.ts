import { PriceNotUsable } from './errors';
import type { PriceId } from './ids';
import type { InvoiceMode } from './modes';
import { Money, parseCurrency, type Currency } from './money';

export type PriceType = 'one_time' | 'recurring';
export type TaxBehavior = 'inclusive' | 'exclusive' | 'unspecified';

export interface PriceProps {
  id: PriceId;
  type: PriceType;
  currency: string;
  /** Null for prices without a flat unit amount (tiered, custom): they cannot be previewed, so are refused. */
  unitAmount: number | null;
  taxBehavior: TaxBehavior;
  active: boolean;
  /** Metered recurring prices bill usage afterwards and take no quantity. */
  metered?: boolean;
}

/** A Stripe price as this service needs it: what one unit costs, and in which mode it may be sold. */
export class Price {
  private constructor(
    readonly id: PriceId,
    readonly type: PriceType,
    readonly currency: Currency,
    private readonly unitAmountOrNull: Money | null,
    readonly taxBehavior: TaxBehavior,
    readonly active: boolean,
    readonly metered: boolean,
  ) {}

  static create(props: PriceProps): Price {
    const currency = parseCurrency(props.currency);
    const unit = props.unitAmount === null ? null : Money.of(props.unitAmount, currency);
    return new Price(props.id, props.type, currency, unit, props.taxBehavior, props.active, props.metered ?? false);
  }

  /** The price of one unit, once the price is known to be usable for `mode`. */
  unitAmountFor(mode: InvoiceMode): Money {
    if (!this.active) throw new PriceNotUsable('inactive', `The price ${this.id} is archived.`);
    if (this.type === 'recurring' && mode !== 'subscription') {
      throw new PriceNotUsable('mode_mismatch', `The price ${this.id} is recurring: use mode "subscription".`);
    }
    if (this.type === 'one_time' && mode !== 'payment') {
      throw new PriceNotUsable('mode_mismatch', `The price ${this.id} is one-time: use mode "payment".`);
    }
    if (this.metered) {
      throw new PriceNotUsable('metered', `The price ${this.id} is metered and cannot be charged by quantity.`);
    }
    if (this.unitAmountOrNull === null) {
      throw new PriceNotUsable('no_unit_amount', `The price ${this.id} has no fixed unit amount.`);
    }
    return this.unitAmountOrNull;
  }
}
