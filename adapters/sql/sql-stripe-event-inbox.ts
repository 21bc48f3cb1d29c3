import type { Selectable } from 'kysely';
import type { InboxStats, StripeEventInbox } from '../../application/lifecycle/lifecycle-ports';
import type { EventOutcome, InboxEvent, StripeEvent } from '../../application/lifecycle/stripe-event';
import { parseAppId, type AppId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';
import type { SqlDatabase } from './open-database';
import type { StripeEventsTable } from './sql-schema';

/**
 * Received Stripe events, one row per (app, event id). A claim is one UPDATE over the oldest due rows, so that each
 * event is taken by one process at a time: on PostgreSQL the rows are picked FOR UPDATE SKIP LOCKED, and SQLite has
 * a single writer.
 */
export class SqlStripeEventInbox implements StripeEventInbox {
  constructor(private readonly database: SqlDatabase) {}

  async add(appId: AppId, mode: StripeMode, event: StripeEvent, receivedAt: Date): Promise<boolean> {
    const { db, values } = this.database;
    const inserted = await db
      .insertInto('stripe_events')
      .values({
        app_id: appId,
        event_id: event.id,
        mode,
        type: event.type,
        created_at: values.time(event.created),
        received_at: values.time(receivedAt),
        invoice_id: event.subject.invoiceId,
        payment_intent_id: event.subject.paymentIntentId,
        subscription_id: event.subject.subscriptionId,
        operation_id: event.subject.operationId,
        payload: event.payload,
        next_attempt_at: values.time(receivedAt),
      })
      .onConflict((conflict) => conflict.columns(['app_id', 'event_id']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async claim(now: Date, leaseUntil: Date, limit: number): Promise<InboxEvent[]> {
    const { db, values } = this.database;
    const at = values.time(now);
    let due = db
      .selectFrom('stripe_events')
      .select(['app_id', 'event_id'])
      .where('processed_at', 'is', null)
      .where('next_attempt_at', '<=', at)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', at)]))
      .orderBy('created_at')
      .orderBy('event_id')
      .limit(limit);
    if (values.dialect === 'postgres') due = due.forUpdate().skipLocked();
    const rows = await db
      .updateTable('stripe_events')
      .set({ lease_until: values.time(leaseUntil) })
      .where((eb) => eb(eb.refTuple('app_id', 'event_id'), 'in', due.$asTuple('app_id', 'event_id')))
      .returningAll()
      .execute();
    return rows.map((row) => this.toEvent(row)).sort((a, b) => a.created.getTime() - b.created.getTime() || (a.id < b.id ? -1 : 1));
  }

  async finish(appId: AppId, eventId: string, outcome: EventOutcome, at: Date): Promise<void> {
    await this.database.db
      .updateTable('stripe_events')
      .set((eb) => ({ processed_at: this.database.values.time(at), outcome, lease_until: null, attempts: eb('attempts', '+', 1) }))
      .where('app_id', '=', appId)
      .where('event_id', '=', eventId)
      .execute();
  }

  async retryLater(appId: AppId, eventId: string, error: string, retryAt: Date): Promise<void> {
    await this.database.db
      .updateTable('stripe_events')
      .set((eb) => ({ next_attempt_at: this.database.values.time(retryAt), last_error: error.slice(0, 500), lease_until: null, attempts: eb('attempts', '+', 1) }))
      .where('app_id', '=', appId)
      .where('event_id', '=', eventId)
      .execute();
  }

  async reopenFailed(since: Date, now: Date): Promise<number> {
    const { db, values } = this.database;
    const reopened = await db
      .updateTable('stripe_events')
      .set({ processed_at: null, outcome: null, attempts: 0, next_attempt_at: values.time(now), lease_until: null })
      .where('outcome', '=', 'failed')
      .where('created_at', '>=', values.time(since))
      .executeTakeFirst();
    return Number(reopened.numUpdatedRows);
  }

  async stats(): Promise<InboxStats> {
    const row = await this.database.db
      .selectFrom('stripe_events')
      .select((eb) => [eb.fn.countAll<number | string>().as('backlog'), eb.fn.min('received_at').as('oldest')])
      .where('processed_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { backlog: Number(row.backlog), oldestReceivedAt: this.database.values.readTimeOrNull(row.oldest) };
  }

  async caughtUpUntil(appId: AppId, mode: StripeMode): Promise<Date | undefined> {
    const row = await this.database.db
      .selectFrom('stripe_event_cursors')
      .select('caught_up_until')
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .executeTakeFirst();
    return row ? this.database.values.readTime(row.caught_up_until) : undefined;
  }

  async setCaughtUpUntil(appId: AppId, mode: StripeMode, until: Date): Promise<void> {
    const at = this.database.values.time(until);
    await this.database.db
      .insertInto('stripe_event_cursors')
      .values({ app_id: appId, mode, caught_up_until: at })
      .onConflict((conflict) => conflict.columns(['app_id', 'mode']).doUpdateSet({ caught_up_until: at }))
      .execute();
  }

  private toEvent(row: Selectable<StripeEventsTable>): InboxEvent {
    const { values } = this.database;
    return {
      appId: parseAppId(row.app_id),
      mode: row.mode,
      id: row.event_id,
      type: row.type,
      created: values.readTime(row.created_at),
      livemode: row.mode === 'live',
      subject: { invoiceId: row.invoice_id, paymentIntentId: row.payment_intent_id, subscriptionId: row.subscription_id, operationId: row.operation_id },
      payload: row.payload,
      receivedAt: values.readTime(row.received_at),
      attempts: Number(row.attempts),
    };
  }
}
