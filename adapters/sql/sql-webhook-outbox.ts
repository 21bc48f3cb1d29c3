import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AppEventType } from '../../application/outbound/app-events';
import type { AppEndpoint, DeliveryAttempt, DueDelivery, OutboxStats, WebhookOutbox } from '../../application/outbound/outbound-ports';
import { parseAppId, type AppId } from '../../domain/ids';
import type { SqlDatabase } from './open-database';
import type { Schema } from './sql-schema';

export interface NewAppEvent {
  type: AppEventType;
  body: string;
  createdAt: Date;
}

const wants = (eventTypes: string | null, type: string) => eventTypes === null || (JSON.parse(eventTypes) as string[]).includes(type);

/**
 * The outbox of events for the apps. `record` runs inside the transaction of the store change that causes the
 * events, and writes one delivery per enabled endpoint that wants each one. A claim takes, per endpoint, only the
 * oldest pending delivery (so an endpoint receives events in order), picked FOR UPDATE SKIP LOCKED on PostgreSQL.
 */
export class SqlWebhookOutbox implements WebhookOutbox {
  constructor(private readonly database: SqlDatabase) {}

  async record(db: Kysely<Schema>, appId: AppId, events: NewAppEvent[]): Promise<void> {
    if (events.length === 0) return;
    const { values } = this.database;
    const endpoints = await db.selectFrom('webhook_endpoints').select(['id', 'event_types']).where('app_id', '=', appId).where('status', '=', 'enabled').execute();
    // PostgreSQL numbers rows as they are inserted, not as their transactions commit. Holding the app's lock until
    // this transaction ends makes its events' order the order they become visible, so a dispatcher that sends an
    // endpoint's oldest pending event can never meet an older one later. Only what will be delivered needs it: the
    // charges of an app without endpoints never queue on it. (SQLite has one writer at a time.)
    const delivered = events.some((event) => endpoints.some((endpoint) => wants(endpoint.event_types, event.type)));
    if (delivered && values.dialect === 'postgres') await sql`select pg_advisory_xact_lock(hashtextextended(${appId}, 0))`.execute(db);
    for (const event of events) {
      const id = `msg_${randomUUID().replaceAll('-', '')}`;
      const created = values.time(event.createdAt);
      const { seq } = await db
        .insertInto('app_events')
        .values({ id, app_id: appId, type: event.type, body: event.body, created_at: created })
        .returning('seq')
        .executeTakeFirstOrThrow();
      const targets = endpoints.filter((endpoint) => wants(endpoint.event_types, event.type));
      if (targets.length === 0) continue;
      await db
        .insertInto('webhook_deliveries')
        .values(targets.map((endpoint) => ({
          endpoint_id: endpoint.id, event_seq: Number(seq), event_id: id, app_id: appId, status: 'pending', next_attempt_at: created, created_at: created,
        })))
        .execute();
    }
  }

  async claim(now: Date, leaseUntil: Date, limit: number): Promise<DueDelivery[]> {
    const { db, values } = this.database;
    const at = values.time(now);
    let due = db
      .selectFrom('webhook_deliveries as d')
      .select(['d.endpoint_id', 'd.event_seq'])
      .where('d.status', '=', 'pending')
      .where('d.next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<=', at)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb.selectFrom('webhook_deliveries as e').select('e.event_seq').whereRef('e.endpoint_id', '=', 'd.endpoint_id').where('e.status', '=', 'pending').whereRef('e.event_seq', '<', 'd.event_seq'),
          ),
        ),
      )
      .orderBy('d.event_seq')
      .limit(limit);
    if (values.dialect === 'postgres') due = due.forUpdate().skipLocked();
    const claimed = await db
      .updateTable('webhook_deliveries')
      .set({ lease_until: values.time(leaseUntil) })
      .where((eb) => eb(eb.refTuple('endpoint_id', 'event_seq'), 'in', due.$asTuple('endpoint_id', 'event_seq')))
      .returning(['endpoint_id', 'event_seq', 'event_id', 'app_id', 'attempts'])
      .execute();
    if (claimed.length === 0) return [];
    const events = await db.selectFrom('app_events').select(['id', 'type', 'body']).where('id', 'in', [...new Set(claimed.map((row) => row.event_id))]).execute();
    const byId = new Map(events.map((event) => [event.id, event]));
    // A delivery whose event the retention deleted meanwhile (a replay racing a purge) has nothing to send: it ends.
    const orphans = claimed.filter((row) => !byId.has(row.event_id));
    for (const row of orphans) {
      await db.updateTable('webhook_deliveries').set({ status: 'failed', lease_until: null }).where('endpoint_id', '=', row.endpoint_id).where('event_seq', '=', row.event_seq).execute();
    }
    return claimed
      .filter((row) => byId.has(row.event_id))
      .map((row) => ({
        eventId: row.event_id, eventSeq: Number(row.event_seq), appId: parseAppId(row.app_id), endpointId: row.endpoint_id,
        type: byId.get(row.event_id)!.type as AppEventType, body: byId.get(row.event_id)!.body, attempts: Number(row.attempts), leaseUntil,
      }))
      .sort((a, b) => a.eventSeq - b.eventSeq);
  }

  async delivered(delivery: DueDelivery, at: Date): Promise<void> {
    await this.update(delivery, { status: 'delivered', delivered_at: this.database.values.time(at), lease_until: null, attempts: delivery.attempts + 1 });
  }

  async retryAt(delivery: DueDelivery, nextAt: Date): Promise<void> {
    await this.update(delivery, { next_attempt_at: this.database.values.time(nextAt), lease_until: null, attempts: delivery.attempts });
  }

  async giveUp(delivery: DueDelivery): Promise<void> {
    await this.update(delivery, { status: 'failed', lease_until: null, attempts: delivery.attempts + 1 });
  }

  async stopEndpoint(endpointId: string): Promise<void> {
    await this.database.db
      .updateTable('webhook_deliveries')
      .set({ status: 'endpoint_disabled', lease_until: null })
      .where('endpoint_id', '=', endpointId)
      .where('status', '=', 'pending')
      .execute();
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    await this.database.db
      .insertInto('webhook_attempts')
      .values({
        id: randomUUID(), event_id: attempt.eventId, endpoint_id: attempt.endpointId, app_id: attempt.appId, attempt: attempt.attempt,
        at: this.database.values.time(attempt.at), status: attempt.status, error: attempt.error, duration_ms: Math.round(attempt.durationMs), response: attempt.response,
      })
      .execute();
  }

  async attempts(appId: AppId, filter: { endpointId?: string | undefined; eventId?: string | undefined; limit: number }): Promise<DeliveryAttempt[]> {
    let query = this.database.db.selectFrom('webhook_attempts').selectAll().where('app_id', '=', appId);
    if (filter.endpointId) query = query.where('endpoint_id', '=', filter.endpointId);
    if (filter.eventId) query = query.where('event_id', '=', filter.eventId);
    const rows = await query.orderBy('at', 'desc').orderBy('attempt', 'desc').limit(filter.limit).execute();
    return rows.map((row) => ({
      eventId: row.event_id, endpointId: row.endpoint_id, appId: parseAppId(row.app_id), attempt: Number(row.attempt), at: this.database.values.readTime(row.at),
      status: row.status === null ? null : Number(row.status), error: row.error, durationMs: Number(row.duration_ms), response: row.response,
    }));
  }

  async redeliver(appId: AppId, eventId: string, now: Date): Promise<number> {
    const result = await this.database.db
      .updateTable('webhook_deliveries')
      .set({ status: 'pending', attempts: 0, next_attempt_at: this.database.values.time(now), lease_until: null, delivered_at: null, created_at: this.database.values.time(now) })
      .where('app_id', '=', appId)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  async replay(endpoint: AppEndpoint, since: Date, now: Date): Promise<number> {
    const { db, values } = this.database;
    const events = await db
      .selectFrom('app_events')
      .select(['seq', 'id', 'type', 'created_at'])
      .where('app_id', '=', endpoint.appId)
      .where('created_at', '>=', values.time(since))
      .orderBy('seq')
      .execute();
    const wanted = events.filter((event) => endpoint.eventTypes === null || endpoint.eventTypes.includes(event.type as AppEventType));
    const at = values.time(now);
    for (let first = 0; first < wanted.length; first += 500) {
      await db
        .insertInto('webhook_deliveries')
        .values(wanted.slice(first, first + 500).map((event) => ({
          endpoint_id: endpoint.id, event_seq: Number(event.seq), event_id: event.id, app_id: endpoint.appId, status: 'pending', next_attempt_at: at, created_at: at,
        })))
        .onConflict((conflict) => conflict.columns(['endpoint_id', 'event_seq']).doUpdateSet({ status: 'pending', attempts: 0, next_attempt_at: at, lease_until: null, delivered_at: null, created_at: at }))
        .execute();
    }
    return wanted.length;
  }

  async stats(): Promise<OutboxStats> {
    const row = await this.database.db
      .selectFrom('webhook_deliveries')
      .select((eb) => [eb.fn.countAll<number | string>().as('backlog'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return { backlog: Number(row.backlog), oldestCreatedAt: this.database.values.readTimeOrNull(row.oldest) };
  }

  private async update(delivery: DueDelivery, set: Record<string, unknown>): Promise<void> {
    await this.database.db
      .updateTable('webhook_deliveries')
      .set(set)
      .where('endpoint_id', '=', delivery.endpointId)
      .where('event_seq', '=', delivery.eventSeq)
      .where('status', '=', 'pending')
      .where('lease_until', '=', this.database.values.time(delivery.leaseUntil))
      .execute();
  }
}
