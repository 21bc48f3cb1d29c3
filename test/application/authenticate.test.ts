import { Unauthenticated } from '../../domain/errors';
import { APP, KEYS, READ_KEY_ID, WRITE_KEY_ID, buildWorld } from '../support/world';
import { expectRejection } from '../support/expect-error';

describe('Authenticate', () => {
  const credentials = { apiKey: KEYS.write, apiKeyType: 'write', clientId: APP };

  it('returns the calling app and key', async () => {
    const { authenticate } = buildWorld();
    await expect(authenticate.execute(credentials)).resolves.toEqual({ appId: APP, keyId: WRITE_KEY_ID, keyType: 'write' });
    await expect(authenticate.execute({ ...credentials, clientId: APP.toUpperCase() })).resolves.toMatchObject({
      appId: APP,
    });
  });

  it('lets a read key in as a read caller (the use case then refuses it with 403)', async () => {
    const { authenticate } = buildWorld();
    const caller = await authenticate.execute({ apiKey: KEYS.read, apiKeyType: 'read', clientId: APP });
    expect(caller).toEqual({ appId: APP, keyId: READ_KEY_ID, keyType: 'read' });
  });

  it.each([
    ['no key', { apiKey: undefined }, 'missing_credentials'],
    ['no key type', { apiKeyType: '' }, 'missing_credentials'],
    ['no client id', { clientId: undefined }, 'missing_credentials'],
    ['an unknown key', { apiKey: 'ak_test_nope' }, 'unknown_key'],
    ["another app's client id", { clientId: 'b0000000-0000-4000-8000-00000000000b' }, 'client_id_mismatch'],
    ['a client id that is not a UUID', { clientId: 'not-a-uuid' }, 'client_id_mismatch'],
    ['a key type header that is not the stored type', { apiKeyType: 'read' }, 'key_type_mismatch'],
    ['an unknown key type header', { apiKeyType: 'admin' }, 'key_type_mismatch'],
  ])('refuses %s', async (_case, change, reason) => {
    const { authenticate } = buildWorld();
    const error = await expectRejection(authenticate.execute({ ...credentials, ...change }), Unauthenticated, reason);
    expect(error.message).toBe('The API key, key type or client id is missing or not valid.');
  });

  it('refuses a revoked key from the moment of revocation', async () => {
    const { authenticate, apiKeys, clock } = buildWorld();
    const soon = new Date(clock.now().getTime() + 1000);
    apiKeys.revokeSecret(KEYS.write, soon);
    await expect(authenticate.execute(credentials)).resolves.toBeDefined();
    clock.advance(1000);
    await expectRejection(authenticate.execute(credentials), Unauthenticated, 'revoked_key');
  });

  it('refuses an expired key', async () => {
    const { authenticate, apiKeys, clock } = buildWorld();
    apiKeys.add('ak_test_expiring', {
      id: WRITE_KEY_ID, appId: APP, type: 'write', expiresAt: new Date(clock.now().getTime() + 60_000), revokedAt: null,
    });
    const expiring = { ...credentials, apiKey: 'ak_test_expiring' };
    await expect(authenticate.execute(expiring)).resolves.toBeDefined();
    clock.advance(60_000);
    await expectRejection(authenticate.execute(expiring), Unauthenticated, 'expired_key');
  });
});
