import { PriceNotUsable, TaxRateNotApplicable, ValidationFailed } from '../../domain/errors';
import { parseAppId, parseCustomerId, parseTenantId, type PriceId, type TaxRateId } from '../../domain/ids';
import { Invoice, MAX_FOOTER_LENGTH, MAX_QUANTITY, type InvoiceDraftProps } from '../../domain/invoice';
import { Price, type PriceProps } from '../../domain/price';
import { TaxPolicy } from '../../domain/tax-policy';
import { Tenant, parseCountryCode } from '../../domain/tenant';
import { expectDomainError } from '../support/expect-error';

const tenant = Tenant.create({
  id: parseTenantId('e0000000-0000-4000-8000-000000000001'),
  appId: parseAppId('a0000000-0000-4000-8000-00000000000a'),
  members: [],
  billingCountry: parseCountryCode('DE'),
  customers: {},
});
const usd: PriceProps = {
  id: 'price_u' as PriceId, type: 'one_time', currency: 'usd', unitAmount: 1999, taxBehavior: 'exclusive', active: true,
};
const vat = TaxPolicy.create({ id: 'txr_v' as TaxRateId, percentage: 19, inclusive: false, active: true });

function draft(overrides: Partial<InvoiceDraftProps> = {}): Invoice {
  return Invoice.draft({
    tenant,
    customer: parseCustomerId('cus_1'),
    stripeMode: 'test',
    mode: 'payment',
    price: Price.create(usd),
    taxPolicy: vat,
    quantity: 1,
    ...overrides,
  });
}

describe('Invoice.draft', () => {
  it('prices one exclusive line: 3 × 19.99 usd + 19 % = 59.97 + 11.39 = 71.36 usd', () => {
    const invoice = draft({ quantity: 3 });
    expect(invoice.unitAmount.amount).toBe(1999);
    expect(invoice.subtotal.amount).toBe(5997);
    expect(invoice.tax.amount).toBe(1139); // 5997 × 0.19 = 1139.43
    expect(invoice.total.amount).toBe(7136);
    expect(invoice.totalExcludingTax).toBe(5997);
    expect(invoice.currency).toBe('usd');
    expect(invoice.livemode).toBe(false);
  });

  it('keeps an inclusive line total unchanged: 2 × 119.00 eur holds 38.00 eur of 19 % tax', () => {
    const inclusive = TaxPolicy.create({ id: 'txr_i' as TaxRateId, percentage: 19, inclusive: true, active: true });
    const price = Price.create({ ...usd, currency: 'eur', unitAmount: 11900, taxBehavior: 'inclusive' });
    const invoice = draft({ price, taxPolicy: inclusive, quantity: 2, stripeMode: 'live' });
    expect(invoice.subtotal.amount).toBe(23800);
    expect(invoice.tax.amount).toBe(3800);
    expect(invoice.total.amount).toBe(23800);
    expect(invoice.totalExcludingTax).toBe(20000);
    expect(invoice.livemode).toBe(true);
  });

  it('prices a zero-decimal currency: 7 × ¥333 + 10 % = ¥2331 + ¥233 = ¥2564', () => {
    const yen = Price.create({ ...usd, currency: 'jpy', unitAmount: 333 });
    const tenPercent = TaxPolicy.create({ id: 'txr_j' as TaxRateId, percentage: 10, inclusive: false, active: true });
    const invoice = draft({ price: yen, taxPolicy: tenPercent, quantity: 7 });
    expect(invoice.subtotal.amount).toBe(2331);
    expect(invoice.tax.amount).toBe(233); // 233.1
    expect(invoice.total.amount).toBe(2564);
    expect(invoice.currency).toBe('jpy');
  });

  it('takes the largest quantity: 10 000 × 999 999.99 usd + 19 % = 1 189 999 988 100 cents', () => {
    const invoice = draft({ price: Price.create({ ...usd, unitAmount: 99_999_999 }), quantity: MAX_QUANTITY });
    expect(invoice.subtotal.amount).toBe(999_999_990_000);
    expect(invoice.tax.amount).toBe(189_999_998_100);
    expect(invoice.total.amount).toBe(1_189_999_988_100);
  });

  it.each([0, -1, 1.5, MAX_QUANTITY + 1, Number.NaN])('refuses the quantity %d', (quantity) => {
    expectDomainError(() => draft({ quantity }), ValidationFailed, 'invalid_quantity');
  });

  it('takes a footer of 5 000 characters, counting characters rather than UTF-16 units', () => {
    expect(draft({ footer: 'x'.repeat(MAX_FOOTER_LENGTH) }).footer).toHaveLength(MAX_FOOTER_LENGTH);
    expect([...draft({ footer: '€😀'.repeat(2500) }).footer!]).toHaveLength(5000);
    expect(draft({ footer: 'Thank you.\nLine two\twith a tab' }).footer).toContain('\n');
    expect(draft({ footer: '' }).footer).toBeUndefined();
  });

  it('refuses a longer footer and one with control characters', () => {
    expectDomainError(() => draft({ footer: 'x'.repeat(MAX_FOOTER_LENGTH + 1) }), ValidationFailed, 'footer_too_long');
    expectDomainError(() => draft({ footer: 'bell\u0007' }), ValidationFailed, 'footer_has_control_characters');
    for (const lone of ['\ud800', 'a\udc00b', 'end\udbff']) {
      expectDomainError(() => draft({ footer: lone }), ValidationFailed, 'footer_not_unicode');
    }
  });

  it('sells a recurring price only in a subscription and a one-time price only in a payment', () => {
    const recurring = Price.create({ ...usd, type: 'recurring' });
    expect(draft({ price: recurring, mode: 'subscription' }).mode).toBe('subscription');
    expectDomainError(() => draft({ price: recurring, mode: 'payment' }), PriceNotUsable, 'mode_mismatch');
    expectDomainError(() => draft({ mode: 'subscription' }), PriceNotUsable, 'mode_mismatch');
  });

  it('applies the tax policy rules before pricing', () => {
    const foreign = TaxPolicy.create({
      id: 'txr_us' as TaxRateId, percentage: 8.875, inclusive: false, active: true, country: parseCountryCode('US'),
    });
    expectDomainError(() => draft({ taxPolicy: foreign }), TaxRateNotApplicable, 'country_mismatch');
  });
});
