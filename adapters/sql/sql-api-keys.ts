import type { ApiKeyRecord, ApiKeyRegistry } from '../../application/admin-ports';
import type { ApiKeyType } from '../../application/caller';
import type { ApiKeys, Clock, StoredApiKey } from '../../application/ports';
import { parseApiKeyId, parseAppId, type ApiKeyId, type AppId } from '../../domain/ids';
import { digestOf, generateApiKey, isWellFormedApiKey, sameDigest } from './api-key-format';
import type { SqlDatabase } from './open-database';
import type { ApiKeysTable } from './sql-schema';

/** How stale `last_used_at` may get before a request refreshes it: one write a minute per key, not per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** API keys by digest. The plaintext is generated here, returned once by `issue`, and never stored. */
export class SqlApiKeys implements ApiKeys, ApiKeyRegistry {
  constructor(
    private readonly database: SqlDatabase,
    private readonly clock: Clock,
  ) {}

  async findBySecret(presented: string): Promise<StoredApiKey | undefined> {
    if (!isWellFormedApiKey(presented)) return undefined;
    const digest = digestOf(presented);
    const row = await this.database.db.selectFrom('api_keys').selectAll().where('digest', '=', digest).executeTakeFirst();
    if (!row || !sameDigest(row.digest, digest)) return undefined;
    const key = this.toRecord(row);
    await this.touch(key);
    return { id: key.id, appId: key.appId, type: key.type, expiresAt: key.expiresAt, revokedAt: key.revokedAt };
  }

  async issue(key: { id: ApiKeyId; appId: AppId; type: ApiKeyType; createdAt: Date; expiresAt: Date | null }): Promise<string> {
    const secret = generateApiKey();
    const { db, values } = this.database;
    await db
      .insertInto('api_keys')
      .values({
        id: key.id,
        app_id: key.appId,
        type: key.type,
        digest: digestOf(secret),
        created_at: values.time(key.createdAt),
        expires_at: values.timeOrNull(key.expiresAt),
      })
      .execute();
    return secret;
  }

  async find(id: ApiKeyId): Promise<ApiKeyRecord | undefined> {
    const row = await this.database.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
    return row && this.toRecord(row);
  }

  async list(appId: AppId): Promise<ApiKeyRecord[]> {
    const rows = await this.database.db.selectFrom('api_keys').selectAll().where('app_id', '=', appId).orderBy('created_at').execute();
    return rows.map((row) => this.toRecord(row));
  }

  async revoke(id: ApiKeyId, at: Date): Promise<void> {
    const { db, values } = this.database;
    await db.updateTable('api_keys').set({ revoked_at: values.time(at) }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }

  async expire(id: ApiKeyId, at: Date): Promise<void> {
    const { db, values } = this.database;
    const when = values.time(at);
    await db
      .updateTable('api_keys')
      .set({ expires_at: when })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', when)]))
      .execute();
  }

  private async touch(key: ApiKeyRecord): Promise<void> {
    const now = this.clock.now();
    if (key.lastUsedAt && now.getTime() - key.lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
    const { db, values } = this.database;
    await db.updateTable('api_keys').set({ last_used_at: values.time(now) }).where('id', '=', key.id).execute();
  }

  private toRecord(row: { [K in keyof ApiKeysTable]: unknown }): ApiKeyRecord {
    const { values } = this.database;
    return {
      id: parseApiKeyId(String(row.id)),
      appId: parseAppId(String(row.app_id)),
      type: row.type === 'read' ? 'read' : 'write',
      createdAt: values.readTime(row.created_at),
      expiresAt: values.readTimeOrNull(row.expires_at),
      revokedAt: values.readTimeOrNull(row.revoked_at),
      lastUsedAt: values.readTimeOrNull(row.last_used_at),
    };
  }
}
