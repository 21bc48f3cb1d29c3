import { ValidationFailed } from './errors';

declare const brand: unique symbol;
export type Branded<T extends string> = string & { readonly [brand]: T };

export type AppId = Branded<'AppId'>;
export type TenantId = Branded<'TenantId'>;
export type UserId = Branded<'UserId'>;
export type ApiKeyId = Branded<'ApiKeyId'>;
export type OperationId = Branded<'OperationId'>;
export type PriceId = Branded<'PriceId'>;
export type TaxRateId = Branded<'TaxRateId'>;
export type CustomerId = Branded<'CustomerId'>;
export type InvoiceId = Branded<'InvoiceId'>;
/** The caller's `Idempotency-Key`: 1–255 printable ASCII characters (contract §1). */
export type IdempotencyKey = Branded<'IdempotencyKey'>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]{1,255}$/;

function invalid(what: string, raw: unknown): never {
  const shown = typeof raw === 'string' ? `"${raw.slice(0, 80)}"` : typeof raw;
  throw new ValidationFailed('invalid_id', `${shown} is not a valid ${what}.`);
}

function uuid<T extends string>(what: string) {
  return (raw: string): Branded<T> => {
    const lower = typeof raw === 'string' ? raw.toLowerCase() : '';
    if (!UUID.test(lower)) invalid(what, raw);
    return lower as Branded<T>;
  };
}

function stripeId<T extends string>(what: string, prefix: string) {
  const pattern = new RegExp(`^${prefix}_[A-Za-z0-9]{1,250}$`);
  return (raw: string): Branded<T> => {
    if (typeof raw !== 'string' || !pattern.test(raw)) invalid(what, raw);
    return raw as Branded<T>;
  };
}

export const parseAppId = uuid<'AppId'>('app id (UUID)');
export const parseTenantId = uuid<'TenantId'>('tenant id (UUID)');
export const parseUserId = uuid<'UserId'>('user id (UUID)');
export const parseApiKeyId = uuid<'ApiKeyId'>('API key id (UUID)');
export const parseOperationId = uuid<'OperationId'>('operation id (UUID)');
export const parsePriceId = stripeId<'PriceId'>('Stripe price id (price_…)', 'price');
export const parseTaxRateId = stripeId<'TaxRateId'>('Stripe tax rate id (txr_…)', 'txr');
export const parseCustomerId = stripeId<'CustomerId'>('Stripe customer id (cus_…)', 'cus');
export const parseInvoiceId = stripeId<'InvoiceId'>('Stripe invoice id (in_…)', 'in');

export function parseIdempotencyKey(raw: string): IdempotencyKey {
  if (typeof raw !== 'string' || !PRINTABLE_ASCII.test(raw)) {
    throw new ValidationFailed(
      'invalid_idempotency_key',
      'An Idempotency-Key must be 1 to 255 printable ASCII characters.',
    );
  }
  return raw as IdempotencyKey;
}
