import { PriceNotUsable } from '../../domain/errors';
import type { PriceId } from '../../domain/ids';
import { Price, type PriceProps } from '../../domain/price';
import { expectDomainError } from '../support/expect-error';

const oneTime: PriceProps = {
  id: 'price_a' as PriceId, type: 'one_time', currency: 'usd', unitAmount: 1999, taxBehavior: 'exclusive', active: true,
};

describe('Price.unitAmountFor', () => {
  it('gives the unit amount of a usable price', () => {
    expect(Price.create(oneTime).unitAmountFor('payment').amount).toBe(1999);
    expect(Price.create({ ...oneTime, type: 'recurring' }).unitAmountFor('subscription').amount).toBe(1999);
  });

  it('refuses a one-time price in a subscription and a recurring price in a payment', () => {
    expectDomainError(() => Price.create(oneTime).unitAmountFor('subscription'), PriceNotUsable, 'mode_mismatch');
    const recurring = Price.create({ ...oneTime, type: 'recurring' });
    expectDomainError(() => recurring.unitAmountFor('payment'), PriceNotUsable, 'mode_mismatch');
  });

  it('refuses an archived price, a metered price and a price without a unit amount', () => {
    expectDomainError(() => Price.create({ ...oneTime, active: false }).unitAmountFor('payment'), PriceNotUsable, 'inactive');
    const metered = Price.create({ ...oneTime, type: 'recurring', metered: true });
    expectDomainError(() => metered.unitAmountFor('subscription'), PriceNotUsable, 'metered');
    const tiered = Price.create({ ...oneTime, unitAmount: null });
    expectDomainError(() => tiered.unitAmountFor('payment'), PriceNotUsable, 'no_unit_amount');
  });
});
