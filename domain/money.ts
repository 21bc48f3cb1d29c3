import { ValidationFailed } from './errors';

declare const currencyBrand: unique symbol;
/** A lower-case ISO 4217 code, as Stripe writes it (`usd`, `eur`, `jpy`). */
export type Currency = string & { readonly [currencyBrand]: true };

// Stripe's zero-decimal and three-decimal currencies; every other currency has two decimals.
const ZERO_DECIMAL = new Set([
  'bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf',
]);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

export function parseCurrency(raw: string): Currency {
  const code = raw.toLowerCase();
  if (!/^[a-z]{3}$/.test(code)) {
    throw new ValidationFailed('invalid_currency', `"${raw}" is not an ISO 4217 currency code.`);
  }
  return code as Currency;
}

/** How many digits the currency has after the decimal point (0 for JPY, 2 for USD, 3 for KWD). */
export function decimalsOf(currency: Currency): 0 | 2 | 3 {
  if (ZERO_DECIMAL.has(currency)) return 0;
  if (THREE_DECIMAL.has(currency)) return 3;
  return 2;
}

/** An amount in the currency's smallest unit (cents, yen): always a non-negative safe integer. */
export class Money {
  private constructor(
    readonly amount: number,
    readonly currency: Currency,
  ) {}

  static of(amount: number, currency: Currency | string): Money {
    if (!Number.isSafeInteger(amount) || amount < 0) {
      throw new ValidationFailed(
        'invalid_amount',
        `An amount must be a non-negative whole number of the currency's smallest unit, not ${amount}.`,
      );
    }
    return new Money(amount, parseCurrency(currency));
  }

  static zero(currency: Currency | string): Money {
    return Money.of(0, currency);
  }

  add(other: Money): Money {
    this.assertSameCurrency(other);
    return Money.of(this.amount + other.amount, this.currency);
  }

  times(quantity: number): Money {
    return Money.of(this.amount * quantity, this.currency);
  }

  equals(other: Money): boolean {
    return this.amount === other.amount && this.currency === other.currency;
  }

  /** `12.34 usd`, `1000 jpy`: for messages and logs, not for display to end customers. */
  toString(): string {
    const decimals = decimalsOf(this.currency);
    if (decimals === 0) return `${this.amount} ${this.currency}`;
    const text = this.amount.toString().padStart(decimals + 1, '0');
    return `${text.slice(0, -decimals)}.${text.slice(-decimals)} ${this.currency}`;
  }

  private assertSameCurrency(other: Money): void {
    if (other.currency !== this.currency) {
      throw new ValidationFailed('invalid_currency', `Cannot combine ${this.currency} with ${other.currency}.`);
    }
  }
}
