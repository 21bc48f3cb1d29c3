import type Stripe from 'stripe';

const SCALE = 10_000n; // tax rate percentages carry at most four decimals

function scaled(percentage: number): bigint {
  return BigInt(Math.round(percentage * Number(SCALE)));
}

function roundHalfUp(numerator: bigint, denominator: bigint): number {
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

/**
 * The tax of each rate on one line, as Stripe computes it: per line and per rate, rounded half up. Inclusive rates
 * take their share out of the amount, amount × p / (100 + Σ inclusive p); exclusive rates apply to the amount net
 * of inclusive tax.
 */
export function lineTaxes(amount: number, rates: readonly Stripe.TaxRate[]): { rate: Stripe.TaxRate; amount: number; taxable: number }[] {
  const inclusive = rates.filter((rate) => rate.inclusive);
  const inclusiveTotal = inclusive.reduce((sum, rate) => sum + scaled(rate.percentage), 0n);
  const inclusiveTaxes = inclusive.map((rate) => ({
    rate,
    amount: roundHalfUp(BigInt(amount) * scaled(rate.percentage), 100n * SCALE + inclusiveTotal),
  }));
  const net = amount - inclusiveTaxes.reduce((sum, tax) => sum + tax.amount, 0);
  return rates.map((rate) => {
    const inside = inclusiveTaxes.find((tax) => tax.rate === rate);
    if (inside) return { ...inside, taxable: net };
    return { rate, amount: roundHalfUp(BigInt(net) * scaled(rate.percentage), 100n * SCALE), taxable: net };
  });
}

/** Stripe's minimum charge per currency in the smallest unit; smaller amounts due are not charged. */
const MINIMUM_CHARGE: Record<string, number> = {
  usd: 50, eur: 50, gbp: 30, chf: 50, cad: 50, aud: 50, jpy: 50, dkk: 250, nok: 300, sek: 300, pln: 200, mxn: 1000,
};

export function minimumCharge(currency: string): number {
  return MINIMUM_CHARGE[currency] ?? 50;
}
