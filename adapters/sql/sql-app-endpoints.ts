import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AppEventType } from '../../application/outbound/app-events';
import type { AppEndpoint, AppEndpoints } from '../../application/outbound/outbound-ports';
import { Secret } from '../../application/secret';
import { parseAppId, type AppId } from '../../domain/ids';
import type { SqlDatabase } from './open-database';
import type { SecretBox } from './secret-box';
import type { WebhookEndpointsTable } from './sql-schema';

function boundTo(endpointId: string): string {
  return `webhook-endpoint-secret|${endpointId}`;
}

/** The apps' webhook endpoints; their signing secrets sealed like every other secret (AES-256-GCM, fail closed). */
export class SqlAppEndpoints implements AppEndpoints {
  constructor(
    private readonly database: SqlDatabase,
    private readonly box: SecretBox,
  ) {}

  async create(endpoint: AppEndpoint, secret: Secret): Promise<void> {
    const { values } = this.database;
    await this.database.db.transaction().execute(async (db) => {
      await db
        .insertInto('webhook_endpoints')
        .values({
          id: endpoint.id, app_id: endpoint.appId, url: endpoint.url, event_types: endpoint.eventTypes ? JSON.stringify(endpoint.eventTypes) : null,
          status: endpoint.status, disabled_reason: null, disabled_at: null, failing_since: null, created_at: values.time(endpoint.createdAt),
        })
        .execute();
      await db
        .insertInto('webhook_endpoint_secrets')
        .values({ id: randomUUID(), endpoint_id: endpoint.id, sealed_secret: this.box.seal(secret.reveal(), boundTo(endpoint.id)), created_at: values.time(endpoint.createdAt), expires_at: null })
        .execute();
    });
  }

  async list(appId: AppId): Promise<AppEndpoint[]> {
    const rows = await this.database.db.selectFrom('webhook_endpoints').selectAll().where('app_id', '=', appId).orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => this.toEndpoint(row));
  }

  async find(appId: AppId, id: string): Promise<AppEndpoint | undefined> {
    const row = await this.database.db.selectFrom('webhook_endpoints').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
    return row && this.toEndpoint(row);
  }

  async remove(appId: AppId, id: string): Promise<boolean> {
    return this.database.db.transaction().execute(async (db) => {
      const removed = await db.deleteFrom('webhook_endpoints').where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) return false; // not this app's: its secrets stay untouched
      await db.deleteFrom('webhook_endpoint_secrets').where('endpoint_id', '=', id).execute();
      return true;
    });
  }

  async secrets(endpointId: string, now: Date): Promise<Secret[]> {
    const rows = await this.database.db
      .selectFrom('webhook_endpoint_secrets')
      .select('sealed_secret')
      .where('endpoint_id', '=', endpointId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', this.database.values.time(now))]))
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((row) => new Secret(this.box.open(row.sealed_secret, boundTo(endpointId), `The signing secret of webhook endpoint ${endpointId}`)));
  }

  async rotate(endpointId: string, secret: Secret, now: Date, oldUntil: Date): Promise<void> {
    const { values } = this.database;
    await this.database.db.transaction().execute(async (db) => {
      await db
        .updateTable('webhook_endpoint_secrets')
        .set({ expires_at: values.time(oldUntil) })
        .where('endpoint_id', '=', endpointId)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', values.time(oldUntil))]))
        .execute();
      await db
        .insertInto('webhook_endpoint_secrets')
        .values({ id: randomUUID(), endpoint_id: endpointId, sealed_secret: this.box.seal(secret.reveal(), boundTo(endpointId)), created_at: values.time(now), expires_at: null })
        .execute();
    });
  }

  async setFailingSince(endpointId: string, since: Date | null): Promise<void> {
    await this.database.db.updateTable('webhook_endpoints').set({ failing_since: this.database.values.timeOrNull(since) }).where('id', '=', endpointId).execute();
  }

  async disable(endpointId: string, reason: string, at: Date): Promise<void> {
    await this.database.db
      .updateTable('webhook_endpoints')
      .set({ status: 'disabled', disabled_reason: reason, disabled_at: this.database.values.time(at) })
      .where('id', '=', endpointId)
      .execute();
  }

  private toEndpoint(row: Selectable<WebhookEndpointsTable>): AppEndpoint {
    const { values } = this.database;
    return {
      id: row.id,
      appId: parseAppId(row.app_id),
      url: row.url,
      eventTypes: row.event_types === null ? null : (JSON.parse(row.event_types) as AppEventType[]),
      status: row.status,
      disabledReason: row.disabled_reason,
      disabledAt: values.readTimeOrNull(row.disabled_at),
      failingSince: values.readTimeOrNull(row.failing_since),
      createdAt: values.readTime(row.created_at),
    };
  }
}
