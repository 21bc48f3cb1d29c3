import type Stripe from 'stripe';
import type { AccountStore } from './account-store';
import { invalidRequest, noSuch } from './emulator-errors';

/** A price that may go on a line of this kind; Stripe refuses archived prices and the wrong price type. */
export function usablePrice(store: AccountStore, id: string, param: string, type: Stripe.Price.Type): Stripe.Price {
  const price = store.prices.get(id);
  if (!price) throw noSuch('price', id, param);
  if (!price.active) {
    throw invalidRequest('The price specified is inactive. This field only accepts active prices.', { param });
  }
  if (price.type !== type) {
    throw invalidRequest(
      `The price specified is set to \`type=${price.type}\` but this field only accepts prices with \`type=${type}\`.`,
      { param },
    );
  }
  return price;
}

export function usableTaxRates(store: AccountStore, ids: readonly string[], param: string): Stripe.TaxRate[] {
  return ids.map((id, index) => {
    const rate = store.taxRates.get(id);
    if (!rate) throw noSuch('tax rate', id, `${param}[${index}]`);
    if (!rate.active) {
      throw invalidRequest(`Tax rate ${id} is archived and cannot be applied to new invoices.`, { param: `${param}[${index}]` });
    }
    return rate;
  });
}
