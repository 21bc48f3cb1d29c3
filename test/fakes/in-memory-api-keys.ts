import type { ApiKeyRecord, ApiKeyRegistry } from '../../application/admin-ports';
import type { ApiKeyType } from '../../application/caller';
import type { ApiKeys, StoredApiKey } from '../../application/ports';
import type { ApiKeyId, AppId } from '../../domain/ids';
import { generateApiKey, isWellFormedApiKey } from '../../adapters/sql/api-key-format';

export class InMemoryApiKeys implements ApiKeys, ApiKeyRegistry {
  private readonly bySecret = new Map<string, ApiKeyRecord>();

  /** Seeds a key with a chosen secret (tests of the use case); `issue` makes real ones. */
  add(secret: string, key: StoredApiKey): void {
    this.bySecret.set(secret, { ...key, createdAt: new Date(0), lastUsedAt: null });
  }

  revokeSecret(secret: string, at: Date): void {
    const key = this.bySecret.get(secret);
    if (key) key.revokedAt = at;
  }

  async findBySecret(presented: string): Promise<StoredApiKey | undefined> {
    const key = this.bySecret.get(presented);
    if (!key) return undefined;
    key.lastUsedAt = new Date();
    return { id: key.id, appId: key.appId, type: key.type, expiresAt: key.expiresAt, revokedAt: key.revokedAt };
  }

  async issue(key: { id: ApiKeyId; appId: AppId; type: ApiKeyType; createdAt: Date; expiresAt: Date | null }): Promise<string> {
    const secret = generateApiKey();
    if (!isWellFormedApiKey(secret)) throw new Error('generated a malformed key');
    this.bySecret.set(secret, { ...key, revokedAt: null, lastUsedAt: null });
    return secret;
  }

  async find(id: ApiKeyId): Promise<ApiKeyRecord | undefined> {
    const key = [...this.bySecret.values()].find((candidate) => candidate.id === id);
    return key && { ...key };
  }

  async list(appId: AppId): Promise<ApiKeyRecord[]> {
    return [...this.bySecret.values()]
      .filter((key) => key.appId === appId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
      .map((key) => ({ ...key }));
  }

  async revoke(id: ApiKeyId, at: Date): Promise<void> {
    for (const key of this.bySecret.values()) if (key.id === id && !key.revokedAt) key.revokedAt = at;
  }

  async expire(id: ApiKeyId, at: Date): Promise<void> {
    for (const key of this.bySecret.values()) {
      if (key.id === id && (!key.expiresAt || key.expiresAt > at)) key.expiresAt = at;
    }
  }
}
