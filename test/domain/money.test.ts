import { ValidationFailed } from '../../domain/errors';
import { Money, decimalsOf, parseCurrency } from '../../domain/money';
import { expectDomainError } from '../support/expect-error';

describe('Money', () => {
  it('holds whole minor units with a lower-case currency', () => {
    const money = Money.of(1999, 'USD');
    expect(money.amount).toBe(1999);
    expect(money.currency).toBe('usd');
  });

  it.each([12.5, -1, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1])(
    'refuses the amount %d',
    (amount) => {
      expectDomainError(() => Money.of(amount, 'usd'), ValidationFailed, 'invalid_amount');
    },
  );

  it.each(['us', 'usdd', '12x', ''])('refuses the currency "%s"', (currency) => {
    expectDomainError(() => parseCurrency(currency), ValidationFailed, 'invalid_currency');
  });

  it('adds and multiplies in the same currency only', () => {
    expect(Money.of(1999, 'usd').times(3).add(Money.of(3, 'usd')).equals(Money.of(6000, 'usd'))).toBe(true);
    expectDomainError(() => Money.of(1, 'usd').add(Money.of(1, 'eur')), ValidationFailed, 'invalid_currency');
  });

  it('knows zero-, two- and three-decimal currencies', () => {
    expect(decimalsOf(parseCurrency('jpy'))).toBe(0);
    expect(decimalsOf(parseCurrency('eur'))).toBe(2);
    expect(decimalsOf(parseCurrency('kwd'))).toBe(3);
    expect(Money.of(1999, 'usd').toString()).toBe('19.99 usd');
    expect(Money.of(5, 'usd').toString()).toBe('0.05 usd');
    expect(Money.of(1000, 'jpy').toString()).toBe('1000 jpy');
    expect(Money.of(1500, 'kwd').toString()).toBe('1.500 kwd');
  });
});
