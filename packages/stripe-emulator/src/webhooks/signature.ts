import { createHmac, randomBytes } from 'node:crypto';

/** `Stripe-Signature` as Stripe writes it: HMAC-SHA256, keyed with the whole `whsec_…` string, over `<t>.<body>`. */
export function stripeSignature(secret: string, payload: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.${payload}`, 'utf8').digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

const ALPHANUMERIC = /[^A-Za-z0-9]/g;

/** `whsec_` and 32 letters and digits, as Stripe's secrets look. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(48).toString('base64').replace(ALPHANUMERIC, '').slice(0, 32)}`;
}
