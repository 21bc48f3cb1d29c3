import type { ApiKeyRecord } from '../../../application/admin-ports';
import { command, iso, seconds, str, table } from '../command';

function state(key: ApiKeyRecord, now = new Date()): string {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && key.expiresAt <= now) return 'expired';
  return key.expiresAt ? `active until ${iso(key.expiresAt)}` : 'active';
}

const ONCE = 'Store it now: it is shown once and cannot be recovered.';

export const keyCommands = [
  command({
    group: 'keys', name: 'create', summary: "Create an API key for an app (the secret is shown once)",
    options: {
      app: { type: 'string', required: true, value: 'id', description: 'app id' },
      type: { type: 'string', required: true, value: 'read|write', description: 'what the key may do' },
      'expires-in-days': { type: 'string', value: 'days', description: 'make the key expire after this many days' },
    },
    run: async (values, { apiKeys }) => {
      const days = str(values, 'expires-in-days');
      const issued = await apiKeys.create({
        appId: str(values, 'app')!,
        type: str(values, 'type') as 'read' | 'write',
        ...(days === undefined ? {} : { expiresInDays: Number(days) }),
      });
      return { ...issued.key, secret: issued.secret };
    },
    text: (key) => `Created ${key.type} key ${key.id} for app ${key.appId}.\n\n  ${key.secret}\n\n${ONCE}`,
  }),
  command({
    group: 'keys', name: 'list', summary: "List an app's API keys (never their secrets)",
    options: { app: { type: 'string', required: true, value: 'id', description: 'app id' } },
    run: (values, { apiKeys }) => apiKeys.list(str(values, 'app')!),
    text: (keys) => table(['ID', 'TYPE', 'STATE', 'CREATED', 'LAST USED'], keys.map((key) => [key.id, key.type, state(key), iso(key.createdAt), iso(key.lastUsedAt)])),
  }),
  command({
    group: 'keys', name: 'revoke', summary: 'Revoke an API key at once',
    options: { key: { type: 'string', required: true, value: 'id', description: 'key id (from keys list)' } },
    run: (values, { apiKeys }) => apiKeys.revoke(str(values, 'key')!),
    text: (key) => `Revoked key ${key.id} at ${iso(key.revokedAt)}.`,
  }),
  command({
    group: 'keys', name: 'rotate', summary: 'Replace an API key; the old secret keeps working for the overlap',
    options: {
      key: { type: 'string', required: true, value: 'id', description: 'key id to replace' },
      overlap: { type: 'string', value: 'duration', description: 'how long the old secret keeps working (default 24h; 0s ends it now)' },
    },
    run: async (values, { apiKeys }) => {
      const rotated = await apiKeys.rotate({ keyId: str(values, 'key')!, overlapSeconds: seconds(str(values, 'overlap') ?? '24h') });
      return { ...rotated.key, secret: rotated.secret, previous: rotated.previous };
    },
    text: (key) =>
      `Created ${key.type} key ${key.id} replacing ${key.previous.id}, which stops working at ${iso(key.previous.expiresAt)}.\n` +
      `The new key ${key.expiresAt ? `expires at ${iso(key.expiresAt)}, the lifetime of the key it replaces` : 'does not expire'}.\n\n  ${key.secret}\n\n${ONCE}`,
  }),
];
