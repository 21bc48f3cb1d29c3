import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { parseApiKeyId } from '../../domain/ids';
import { ApiKeyRegistry, type ApiKeyRecord } from '../admin-ports';
import { Clock, Ids } from '../ports';
import { NotAllowed, NotFound } from '../errors';
import { ManageApps } from './manage-apps';
import { parseInput } from './parse-input';

const CreateKey = z.strictObject({
  appId: z.string(),
  type: z.enum(['read', 'write']),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
const RotateKey = z.strictObject({
  keyId: z.string(),
  /** How long the old secret keeps working, so that every caller can switch to the new one. */
  overlapSeconds: z.number().int().min(0).max(90 * 86_400),
});

export interface IssuedKey {
  key: ApiKeyRecord;
  /** Shown once: the store keeps only its digest. */
  secret: string;
}

/** Issues, lists, revokes and rotates an app's API keys. */
@injectable()
export class ManageApiKeys {
  constructor(
    @inject(ApiKeyRegistry) private readonly keys: ApiKeyRegistry,
    @inject(ManageApps) private readonly apps: ManageApps,
    @inject(Clock) private readonly clock: Clock,
    @inject(Ids) private readonly ids: Ids,
  ) {}

  async create(input: z.input<typeof CreateKey>): Promise<IssuedKey> {
    const { appId, type, expiresInDays } = parseInput(CreateKey, input);
    const app = await this.apps.require(appId);
    const now = this.clock.now();
    const expiresAt = expiresInDays ? new Date(now.getTime() + expiresInDays * 86_400_000) : null;
    return this.issue(app.id, type, expiresAt);
  }

  async list(appId: string): Promise<ApiKeyRecord[]> {
    return this.keys.list((await this.apps.require(appId)).id);
  }

  async revoke(keyId: string): Promise<ApiKeyRecord> {
    const key = await this.require(keyId);
    // A second revoke is almost always a script run twice or the wrong id: say so rather than pretend it did something.
    if (key.revokedAt) throw new NotAllowed(`The key ${key.id} was already revoked at ${key.revokedAt.toISOString()}.`);
    await this.keys.revoke(key.id, this.clock.now());
    return this.require(keyId);
  }

  /**
   * A new key of the same app and type and with the same lifetime (a key made to expire after 90 days is replaced
   * by one that expires 90 days from now); the old one keeps working for the overlap, then expires.
   */
  async rotate(input: z.input<typeof RotateKey>): Promise<IssuedKey & { previous: ApiKeyRecord }> {
    const { keyId, overlapSeconds } = parseInput(RotateKey, input);
    const old = await this.require(keyId);
    const now = this.clock.now();
    if (old.revokedAt || (old.expiresAt && old.expiresAt <= now)) {
      throw new NotAllowed(`The key ${old.id} is already revoked or expired; create a new key instead.`);
    }
    const lifetime = old.expiresAt ? old.expiresAt.getTime() - old.createdAt.getTime() : null;
    const issued = await this.issue(old.appId, old.type, lifetime === null ? null : new Date(now.getTime() + lifetime));
    await this.keys.expire(old.id, new Date(now.getTime() + overlapSeconds * 1000));
    return { ...issued, previous: await this.require(old.id) };
  }

  private async issue(appId: ApiKeyRecord['appId'], type: ApiKeyRecord['type'], expiresAt: Date | null): Promise<IssuedKey> {
    const id = parseApiKeyId(this.ids.next());
    const secret = await this.keys.issue({ id, appId, type, createdAt: this.clock.now(), expiresAt });
    return { key: await this.require(id), secret };
  }

  private async require(keyId: string): Promise<ApiKeyRecord> {
    const key = await this.keys.find(parseApiKeyId(keyId));
    if (!key) throw new NotFound('API key', keyId);
    return key;
  }
}
