import { randomUUID } from 'node:crypto';
import { Secret } from '../../../application/secret';
import { isWellFormedApiKey } from '../../../adapters/sql/api-key-format';
import { parseApiKeyId } from '../../../domain/ids';
import { anApp, newAppId } from './store-fixtures';
import { forEachStore } from './store-worlds';

forEachStore('Apps', (world) => {
  it('creates, finds and lists apps in creation order', async () => {
    const first = await anApp(world(), 'First');
    world().clock.advance(1000);
    const second = await anApp(world(), 'Second');
    expect(await world().store.apps.find(first)).toEqual({ id: first, name: 'First', createdAt: new Date('2026-01-15T10:00:00.000Z') });
    const listed = (await world().store.apps.list()).map((app) => app.id);
    expect(listed.indexOf(first)).toBeLessThan(listed.indexOf(second));
    expect(await world().store.apps.find(newAppId())).toBeUndefined();
  });
});

forEachStore('ApiKeys and ApiKeyRegistry', (world) => {
  const issue = async (type: 'read' | 'write' = 'write', expiresAt: Date | null = null) => {
    const appId = await anApp(world());
    const id = parseApiKeyId(randomUUID());
    const secret = await world().store.apiKeys.issue({ id, appId, type, createdAt: world().clock.now(), expiresAt });
    world().secretsWritten.add(secret);
    return { appId, id, secret };
  };

  it('issues a well-formed key that finds its record, and only it', async () => {
    const { appId, id, secret } = await issue('read');
    expect(secret).toMatch(/^tsinv_[0-9A-Za-z]{38}$/);
    expect(isWellFormedApiKey(secret)).toBe(true);
    expect(await world().store.apiKeys.findBySecret(secret)).toEqual({ id, appId, type: 'read', expiresAt: null, revokedAt: null });
    const other = await issue();
    expect(other.secret).not.toBe(secret);
  });

  it('does not find a key with a broken checksum, a truncated key, or an unknown well-formed key', async () => {
    const { secret } = await issue();
    const lastCharacter = secret.at(-1) === 'A' ? 'B' : 'A';
    expect(await world().store.apiKeys.findBySecret(`${secret.slice(0, -1)}${lastCharacter}`)).toBeUndefined();
    expect(await world().store.apiKeys.findBySecret(secret.slice(0, -2))).toBeUndefined();
    expect(await world().store.apiKeys.findBySecret('')).toBeUndefined();
  });

  it('lists an app\'s keys without secrets, and records when a key was last used', async () => {
    const { appId, id, secret } = await issue();
    expect((await world().store.apiKeys.find(id))?.lastUsedAt).toBeNull();
    await world().store.apiKeys.findBySecret(secret);
    expect((await world().store.apiKeys.find(id))?.lastUsedAt).toBeInstanceOf(Date);
    const listed = await world().store.apiKeys.list(appId);
    expect(listed.map((key) => key.id)).toEqual([id]);
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it('revokes once, and only brings an expiry forward', async () => {
    const later = new Date('2026-03-01T00:00:00.000Z');
    const { id, secret } = await issue('write', later);
    const revokedAt = new Date('2026-01-20T00:00:00.000Z');
    await world().store.apiKeys.revoke(id, revokedAt);
    await world().store.apiKeys.revoke(id, new Date('2026-02-20T00:00:00.000Z'));
    expect((await world().store.apiKeys.findBySecret(secret))?.revokedAt).toEqual(revokedAt);
    await world().store.apiKeys.expire(id, new Date('2026-04-01T00:00:00.000Z'));
    expect((await world().store.apiKeys.find(id))?.expiresAt).toEqual(later);
    const sooner = new Date('2026-02-01T00:00:00.000Z');
    await world().store.apiKeys.expire(id, sooner);
    expect((await world().store.apiKeys.find(id))?.expiresAt).toEqual(sooner);
  });
});

forEachStore('StripeAccounts and StripeAccountSettings', (world) => {
  it('keeps each app\'s live and test keys apart and answers them back', async () => {
    const appId = await anApp(world());
    const live = `sk_live_${randomUUID().replace(/-/g, '')}`;
    const test = `sk_test_${randomUUID().replace(/-/g, '')}`;
    world().secretsWritten.add(live).add(test);
    expect(await world().store.stripeAccounts.find(appId, 'test')).toBeUndefined();
    await world().store.stripeAccounts.set(appId, 'live', new Secret(live), world().clock.now());
    await world().store.stripeAccounts.set(appId, 'test', new Secret(test), world().clock.now());
    expect((await world().store.stripeAccounts.find(appId, 'live'))?.secretKey.reveal()).toBe(live);
    expect((await world().store.stripeAccounts.find(appId, 'test'))).toMatchObject({ appId, mode: 'test' });
    expect((await world().store.stripeAccounts.find(appId, 'test'))?.secretKey.reveal()).toBe(test);
    expect(await world().store.stripeAccounts.find(await anApp(world()), 'live')).toBeUndefined();
  });

  it('replaces a key, and reports only a hint of it', async () => {
    const appId = await anApp(world());
    const first = `sk_test_${randomUUID().replace(/-/g, '')}1111`;
    const second = `sk_test_${randomUUID().replace(/-/g, '')}2222`;
    world().secretsWritten.add(first).add(second);
    await world().store.stripeAccounts.set(appId, 'test', new Secret(first), world().clock.now());
    world().clock.advance(60_000);
    await world().store.stripeAccounts.set(appId, 'test', new Secret(second), world().clock.now());
    expect((await world().store.stripeAccounts.find(appId, 'test'))?.secretKey.reveal()).toBe(second);
    expect(await world().store.stripeAccounts.status(appId)).toEqual([
      { mode: 'test', hint: 'sk_test_…2222', updatedAt: world().clock.now(), readable: true },
    ]);
  });
});
