import type { ExpiredRecords } from '../../application/admin/purge-expired';
import type { ExpressionBuilder } from 'kysely';
import type { SqlDatabase } from './open-database';
import type { Schema } from './sql-schema';

/**
 * Deletes by primary key what a bounded, index-ordered selection picked: one short statement per batch, the same
 * on SQLite and PostgreSQL.
 */
export class SqlExpiredRecords implements ExpiredRecords {
  constructor(private readonly database: SqlDatabase) {}

  async purgeIdempotencyAnswers(before: Date, limit: number): Promise<number> {
    const { db, values } = this.database;
    const expired = db
      .selectFrom('idempotency_records')
      .select(['app_id', 'key'])
      .where('outcome', 'is not', null)
      .where('completed_at', '<', values.time(before))
      .orderBy('completed_at')
      .limit(limit);
    const result = await db
      .deleteFrom('idempotency_records')
      .where((eb) => eb(eb.refTuple('app_id', 'key'), 'in', expired.$asTuple('app_id', 'key')))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async purgeStripeEvents(before: Date, limit: number): Promise<number> {
    const { db, values } = this.database;
    // A failed event stays: reconciliation takes failed events up again, however old.
    const expired = db
      .selectFrom('stripe_events')
      .select(['app_id', 'event_id'])
      .where('outcome', 'in', ['applied', 'ignored'])
      .where('processed_at', '<', values.time(before))
      .orderBy('processed_at')
      .limit(limit);
    const result = await db
      .deleteFrom('stripe_events')
      .where((eb) => eb(eb.refTuple('app_id', 'event_id'), 'in', expired.$asTuple('app_id', 'event_id')))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async purgeAppEvents(before: Date, limit: number): Promise<number> {
    const { db, values } = this.database;
    const at = values.time(before);
    const nonePending = (eb: ExpressionBuilder<Schema & { e: Schema['app_events'] }, 'e'>) =>
      eb.not(eb.exists(eb.selectFrom('webhook_deliveries as d').select('d.event_seq').whereRef('d.app_id', '=', 'e.app_id').whereRef('d.event_id', '=', 'e.id').where('d.status', '=', 'pending')));
    return db.transaction().execute(async (trx) => {
      const oldest = trx.selectFrom('app_events as e').select('e.id').where('e.created_at', '<', at).where(nonePending).orderBy('e.created_at').limit(limit);
      // Chosen and deleted in one statement: an event redelivered meanwhile is not chosen, and stays with its delivery.
      const deleted = await trx.deleteFrom('app_events').where('id', 'in', oldest).returning('id').execute();
      const ids = deleted.map((event) => event.id);
      if (ids.length > 0) {
        await trx.deleteFrom('webhook_attempts').where('event_id', 'in', ids).execute();
        await trx.deleteFrom('webhook_deliveries').where('event_id', 'in', ids).where('status', '!=', 'pending').execute();
      }
      return ids.length;
    });
  }

  async purgeLedger(before: Date, limit: number): Promise<number> {
    const { db, values } = this.database;
    const expired = db
      .selectFrom('charge_ledger')
      .select('id')
      .where('finished_at', '<', values.time(before))
      .orderBy('finished_at')
      .limit(limit);
    const result = await db.deleteFrom('charge_ledger').where('id', 'in', expired).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
