import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** An id in Stripe's style: a type prefix and 24 random base-62 characters (`in_1Qx…`). */
export function stripeObjectId(prefix: string): string {
  const bytes = randomBytes(24);
  let id = `${prefix}_`;
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return id;
}

export function unixTime(date = new Date()): number {
  return Math.floor(date.getTime() / 1000);
}
