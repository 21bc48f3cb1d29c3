import { TaxRateNotApplicable } from '../../domain/errors';
import type { PriceId, TaxRateId } from '../../domain/ids';
import { Money } from '../../domain/money';
import { Price, type TaxBehavior } from '../../domain/price';
import { TaxPolicy } from '../../domain/tax-policy';
import { parseCountryCode } from '../../domain/tenant';
import { expectDomainError } from '../support/expect-error';

const DE = parseCountryCode('DE');
const US = parseCountryCode('US');

function rate(percentage: number, inclusive = false, extra: { active?: boolean; country?: typeof DE } = {}) {
  return TaxPolicy.create({ id: 'txr_t' as TaxRateId, percentage, inclusive, active: extra.active ?? true, country: extra.country });
}

function price(taxBehavior: TaxBehavior) {
  return Price.create({
    id: 'price_p' as PriceId, type: 'one_time', currency: 'eur', unitAmount: 1000, taxBehavior, active: true,
  });
}

const tax = (percentage: number, amount: number, currency = 'usd', inclusive = false) =>
  rate(percentage, inclusive).taxOn(Money.of(amount, currency)).amount;

describe('TaxPolicy.taxOn, exclusive: round(amount × p / 100), half up', () => {
  it.each([
    // [percentage, amount, expected tax, worked by hand]
    [19, 1999, 380, '1999 × 0.19 = 379.81'],
    [19, 10000, 1900, 'exact'],
    [5, 50, 3, '2.5: a half-cent tie rounds up'],
    [5, 30, 2, '1.5: tie rounds up'],
    [5, 49, 2, '2.45 rounds down'],
    [8.875, 1000, 89, '88.75'],
    [8.875, 400, 36, '35.5: a tie with a four-decimal rate'],
    [8.875, 200, 18, '17.75'],
    [0, 123456, 0, 'a zero rate'],
    [100, 777, 777, 'the largest rate'],
  ])('%d %% of %d is %d (%s)', (percentage, amount, expected) => {
    expect(tax(percentage, amount)).toBe(expected);
  });

  it('is exact where floating point is not: 8.875 % of 999 999 990 000 = 88 749 999 112.5 → 88 749 999 113', () => {
    // 10 000 units at 999 999.99 usd, the largest line the service accepts.
    expect(tax(8.875, 999_999_990_000)).toBe(88_749_999_113);
  });

  it('works in the smallest unit of a zero-decimal currency (JPY has no cents)', () => {
    expect(tax(10, 1000, 'jpy')).toBe(100); // ¥1000 × 10 % = ¥100
    expect(tax(10, 5, 'jpy')).toBe(1); // ¥0.5 ties up to ¥1
    expect(tax(10, 4, 'jpy')).toBe(0); // ¥0.4
    expect(rate(10).taxOn(Money.of(5, 'jpy')).currency).toBe('jpy');
  });
});

describe('TaxPolicy.taxOn, inclusive: the tax inside the amount, round(amount × p / (100 + p))', () => {
  it.each([
    [19, 11900, 1900, '11900 × 19 / 119 = 1900 exactly'],
    [19, 1000, 160, '159.66'],
    [19, 1999, 319, '319.17'],
    [100, 3, 2, '1.5: tie rounds up'],
    [7, 1070, 70, '70 exactly'],
  ])('%d %% inside %d is %d (%s)', (percentage, amount, expected) => {
    expect(tax(percentage, amount, 'eur', true)).toBe(expected);
  });

  it('¥1100 with 10 % inclusive holds ¥100 of tax', () => {
    expect(tax(10, 1100, 'jpy', true)).toBe(100);
  });
});

describe('TaxPolicy.create', () => {
  it.each([-1, 100.0001, Number.NaN, 8.12345])('refuses the percentage %d', (percentage) => {
    expectDomainError(() => rate(percentage), TaxRateNotApplicable, 'invalid_percentage');
  });

  it('keeps four decimals exactly', () => {
    expect(rate(8.875).percentage).toBe(8.875);
    expect(rate(0.0001).percentage).toBe(0.0001);
  });
});

describe('TaxPolicy.assertApplicable', () => {
  it('accepts an active rate whose kind agrees with the price and the tenant country', () => {
    expect(() => rate(19, false, { country: DE }).assertApplicable(price('exclusive'), DE)).not.toThrow();
    expect(() => rate(19, true, { country: DE }).assertApplicable(price('inclusive'), DE)).not.toThrow();
  });

  it('accepts either kind for a price whose tax behaviour is unspecified', () => {
    expect(() => rate(19, true).assertApplicable(price('unspecified'), DE)).not.toThrow();
    expect(() => rate(19, false).assertApplicable(price('unspecified'), DE)).not.toThrow();
  });

  it('refuses an archived rate', () => {
    expectDomainError(() => rate(19, false, { active: false }).assertApplicable(price('exclusive'), DE), TaxRateNotApplicable, 'inactive');
  });

  it('refuses an exclusive rate on a tax-inclusive price, and the reverse', () => {
    expectDomainError(() => rate(19, false).assertApplicable(price('inclusive'), DE), TaxRateNotApplicable, 'inclusive_conflict');
    expectDomainError(() => rate(19, true).assertApplicable(price('exclusive'), DE), TaxRateNotApplicable, 'inclusive_conflict');
  });

  it("refuses a rate for another country than the tenant's, when both are known", () => {
    expectDomainError(() => rate(19, false, { country: DE }).assertApplicable(price('exclusive'), US), TaxRateNotApplicable, 'country_mismatch');
    expect(() => rate(19, false, { country: DE }).assertApplicable(price('exclusive'), undefined)).not.toThrow();
    expect(() => rate(19, false).assertApplicable(price('exclusive'), US)).not.toThrow();
  });
});
