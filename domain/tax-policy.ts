import { TaxRateNotApplicable } from './errors';
import type { TaxRateId } from './ids';
import { Money } from './money';
import type { Price } from './price';
import type { CountryCode } from './tenant';

export interface TaxPolicyProps {
  id: TaxRateId;
  /** Percent out of 100, at most four decimal places (`19`, `8.875`). */
  percentage: number;
  inclusive: boolean;
  active: boolean;
  country?: CountryCode | undefined;
  jurisdiction?: string | undefined;
}

// Percentages are held as whole ten-thousandths of a percent so that tax is computed in exact integers.
const SCALE = 10_000n;
const HUNDRED_PERCENT = 100n * SCALE;

/** Divides and rounds half up, as Stripe rounds tax ("commercial rounding"); both operands are non-negative. */
function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  return (2n * numerator + denominator) / (2n * denominator);
}

/** A Stripe tax rate and the rules for applying it to a line. */
export class TaxPolicy {
  private constructor(
    readonly id: TaxRateId,
    private readonly scaledPercentage: bigint,
    readonly inclusive: boolean,
    readonly active: boolean,
    readonly country: CountryCode | undefined,
    readonly jurisdiction: string | undefined,
  ) {}

  static create(props: TaxPolicyProps): TaxPolicy {
    const scaled = Math.round(props.percentage * Number(SCALE));
    const exact = Math.abs(scaled / Number(SCALE) - props.percentage) < 1e-9;
    if (!Number.isFinite(props.percentage) || props.percentage < 0 || props.percentage > 100 || !exact) {
      throw new TaxRateNotApplicable(
        'invalid_percentage',
        `The tax rate ${props.id} has percentage ${props.percentage}; expected 0 to 100 with at most 4 decimals.`,
      );
    }
    return new TaxPolicy(props.id, BigInt(scaled), props.inclusive, props.active, props.country, props.jurisdiction);
  }

  get percentage(): number {
    return Number(this.scaledPercentage) / Number(SCALE);
  }

  /**
   * The tax on one line of `amount`, rounded half up. Exclusive: on top of the amount. Inclusive: the part of the
   * amount that is tax, amount × p / (100 + p).
   */
  taxOn(amount: Money): Money {
    const value = BigInt(amount.amount);
    const tax = this.inclusive
      ? divideHalfUp(value * this.scaledPercentage, HUNDRED_PERCENT + this.scaledPercentage)
      : divideHalfUp(value * this.scaledPercentage, HUNDRED_PERCENT);
    return Money.of(Number(tax), amount.currency);
  }

  /** Refuses a rate that would put a wrong tax on this price for a tenant billed in `tenantCountry`. */
  assertApplicable(price: Price, tenantCountry: CountryCode | undefined): void {
    if (!this.active) {
      throw new TaxRateNotApplicable('inactive', `The tax rate ${this.id} is archived.`);
    }
    const priceInclusive = price.taxBehavior === 'inclusive';
    if (price.taxBehavior !== 'unspecified' && priceInclusive !== this.inclusive) {
      throw new TaxRateNotApplicable(
        'inclusive_conflict',
        `The tax rate ${this.id} is ${this.inclusive ? 'inclusive' : 'exclusive'} but the price ${price.id} ` +
          `is tax-${price.taxBehavior}.`,
      );
    }
    if (this.country && tenantCountry && this.country !== tenantCountry) {
      throw new TaxRateNotApplicable(
        'country_mismatch',
        `The tax rate ${this.id} is for ${this.country} but the tenant is billed in ${tenantCountry}.`,
      );
    }
  }
}
