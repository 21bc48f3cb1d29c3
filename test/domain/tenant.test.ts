import { ValidationFailed } from '../../domain/errors';
import { parseAppId, parseCustomerId, parseTenantId, parseUserId } from '../../domain/ids';
import { Tenant, parseCountryCode } from '../../domain/tenant';
import { expectDomainError } from '../support/expect-error';

const app = parseAppId('a0000000-0000-4000-8000-00000000000a');
const member = parseUserId('d0000000-0000-4000-8000-000000000001');
const tenant = Tenant.create({
  id: parseTenantId('e0000000-0000-4000-8000-000000000001'),
  appId: app,
  members: [member],
  billingCountry: parseCountryCode('de'),
  customers: { test: parseCustomerId('cus_test1') },
});

describe('Tenant', () => {
  it('knows its app, its members and its customer per mode', () => {
    expect(tenant.isOwnedBy(app)).toBe(true);
    expect(tenant.isOwnedBy(parseAppId('b0000000-0000-4000-8000-00000000000b'))).toBe(false);
    expect(tenant.hasMember(member)).toBe(true);
    expect(tenant.hasMember(parseUserId('d0000000-0000-4000-8000-000000000002'))).toBe(false);
    expect(tenant.customerIn('test')).toBe('cus_test1');
    expect(tenant.customerIn('live')).toBeUndefined();
    expect(tenant.billingCountry).toBe('DE');
  });

  it('refuses a country that is not two letters', () => {
    expectDomainError(() => parseCountryCode('DEU'), ValidationFailed, 'invalid_country');
  });
});
