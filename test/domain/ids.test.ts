import { ValidationFailed } from '../../domain/errors';
import { parseIdempotencyKey, parsePriceId, parseTaxRateId, parseTenantId } from '../../domain/ids';
import { expectDomainError } from '../support/expect-error';

describe('id parsers', () => {
  it('accepts a UUID in any case and keeps it lower-case', () => {
    expect(parseTenantId('E0000000-0000-4000-8000-00000000000A')).toBe('e0000000-0000-4000-8000-00000000000a');
  });

  it.each(['', 'not-a-uuid', 'e0000000-0000-4000-8000-00000000000', 'e0000000-0000-4000-8000-00000000000g'])(
    'refuses "%s" as a tenant id',
    (raw) => {
      expectDomainError(() => parseTenantId(raw), ValidationFailed, 'invalid_id');
    },
  );

  it('knows Stripe prefixes', () => {
    expect(parsePriceId('price_1MoBy5LkdIwHu7ix')).toBe('price_1MoBy5LkdIwHu7ix');
    expectDomainError(() => parsePriceId('txr_1MoBy5'), ValidationFailed, 'invalid_id');
    expectDomainError(() => parseTaxRateId('price_1'), ValidationFailed, 'invalid_id');
    expectDomainError(() => parsePriceId('price_a b'), ValidationFailed, 'invalid_id');
  });

  it('takes an Idempotency-Key of 1 to 255 printable ASCII characters', () => {
    expect(parseIdempotencyKey('a')).toBe('a');
    expect(parseIdempotencyKey('~'.repeat(255))).toHaveLength(255);
    for (const bad of ['', 'x'.repeat(256), 'clé', 'tab\there', 'new\nline']) {
      expectDomainError(() => parseIdempotencyKey(bad), ValidationFailed, 'invalid_idempotency_key');
    }
  });
});
