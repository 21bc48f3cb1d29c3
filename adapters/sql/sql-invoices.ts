import type { Kysely, SelectQueryBuilder, Selectable } from 'kysely';
import type { InvoicePage, InvoiceQuery, InvoiceReader, InvoiceRecord, SubscriptionStatus } from '../../application/invoice-record';
import type { InvoiceLifecycleStore } from '../../application/lifecycle/lifecycle-ports';
import { appEventBody, invoiceEventTypes, subscriptionChanged } from '../../application/outbound/app-events';
import type { AppId, InvoiceId, TenantId } from '../../domain/ids';
import { READING_COLUMNS, invoiceRecord, invoiceRow } from './invoice-rows';
import type { SqlDatabase } from './open-database';
import type { InvoicesTable, Schema } from './sql-schema';
import type { SqlWebhookOutbox } from './sql-webhook-outbox';

type InvoiceQueryBuilder = SelectQueryBuilder<Schema, 'invoices', Selectable<InvoicesTable>>;

/**
 * The invoices the service keeps, one row each: written with the ledger's settlement and by the lifecycle, read
 * newest first by keyset. A write carries the time of its Stripe reading and replaces only an older one; in the
 * same transaction it puts the events the change gives the app into the outbox.
 */
export class SqlInvoices implements InvoiceReader, InvoiceLifecycleStore {
  constructor(
    private readonly database: SqlDatabase,
    private readonly outbox: SqlWebhookOutbox,
  ) {}

  /**
   * Inserts the invoice, or brings a known one up to date (its first writing keeps its creation time). The
   * lifecycle's invoices are mostly known already: the stored one is read first.
   */
  async write(invoice: InvoiceRecord, db?: Kysely<Schema>): Promise<void> {
    if (!db) return this.database.db.transaction().execute((transaction) => this.write(invoice, transaction));
    return this.upsert(db, invoice, 'read first');
  }

  /** The invoice a charge's settlement reached: new, but for a settlement made again, so the insert is tried first. */
  writeSettled(invoice: InvoiceRecord, db: Kysely<Schema>): Promise<void> {
    return this.upsert(db, invoice, 'insert first');
  }

  private async upsert(db: Kysely<Schema>, invoice: InvoiceRecord, order: 'read first' | 'insert first'): Promise<void> {
    const { values } = this.database;
    if (order === 'insert first' && (await this.insertNew(db, invoice))) return;
    let before = await this.locked(db, invoice);
    // The insert decides between two writers of the same new invoice (a renewal seen by two processes); the other
    // then finds it, and updates it.
    if (!before && order === 'read first' && (await this.insertNew(db, invoice))) return;
    before ??= await this.locked(db, invoice);
    if (!before) throw new Error(`invoice ${invoice.id} neither inserted nor found`);
    if (before.updatedAt > invoice.updatedAt) return;
    const after = { ...invoice, createdAt: before.createdAt, subscriptionStatus: before.subscriptionStatus };
    const row = invoiceRow(values, after);
    await db
      .updateTable('invoices')
      .set(Object.fromEntries(READING_COLUMNS.map((column) => [column, row[column]])))
      .where('app_id', '=', invoice.appId)
      .where('id', '=', invoice.id)
      .execute();
    await this.recordEvents(db, before, after);
  }

  /** True when the invoice was new and is now stored, with the events its creation gives the app. */
  private async insertNew(db: Kysely<Schema>, invoice: InvoiceRecord): Promise<boolean> {
    const row = invoiceRow(this.database.values, invoice);
    const inserted = await db.insertInto('invoices').values(row).onConflict((conflict) => conflict.columns(['app_id', 'id']).doNothing()).executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
    await this.recordEvents(db, undefined, invoice);
    return true;
  }

  /** The stored invoice, locked until the transaction ends on PostgreSQL (SQLite has one writer at a time). */
  private async locked(db: Kysely<Schema>, invoice: InvoiceRecord): Promise<InvoiceRecord | undefined> {
    const { values } = this.database;
    let current = db.selectFrom('invoices').selectAll().where('app_id', '=', invoice.appId).where('id', '=', invoice.id);
    if (values.dialect === 'postgres') current = current.forUpdate();
    const row = await current.executeTakeFirst();
    return row && invoiceRecord(values, row);
  }

  private async recordEvents(db: Kysely<Schema>, before: InvoiceRecord | undefined, after: InvoiceRecord): Promise<void> {
    const events = invoiceEventTypes(before, after).map((type) => ({ type, body: appEventBody(type, after, after.updatedAt), createdAt: after.updatedAt }));
    await this.outbox.record(db, after.appId, events);
  }

  find(appId: AppId, tenantId: TenantId, id: InvoiceId): Promise<InvoiceRecord | undefined> {
    return this.first(appId, (query) => query.where('tenant_id', '=', tenantId).where('id', '=', id));
  }

  byId(appId: AppId, id: InvoiceId): Promise<InvoiceRecord | undefined> {
    return this.first(appId, (query) => query.where('id', '=', id));
  }

  byPaymentIntent(appId: AppId, paymentIntentId: string): Promise<InvoiceRecord | undefined> {
    return this.first(appId, (query) => query.where('payment_intent_id', '=', paymentIntentId));
  }

  firstOfSubscription(appId: AppId, subscriptionId: string): Promise<InvoiceRecord | undefined> {
    return this.first(appId, (query) => query.where('subscription_id', '=', subscriptionId).orderBy('created_at').limit(1));
  }

  /** The first of an app's invoices that `narrow` selects. */
  private async first(appId: AppId, narrow: (query: InvoiceQueryBuilder) => InvoiceQueryBuilder): Promise<InvoiceRecord | undefined> {
    const row = await narrow(this.database.db.selectFrom('invoices').selectAll().where('app_id', '=', appId)).executeTakeFirst();
    return row && invoiceRecord(this.database.values, row);
  }

  async setSubscriptionStatus(appId: AppId, subscriptionId: string, status: SubscriptionStatus, readAt: Date): Promise<void> {
    const { values } = this.database;
    const at = values.time(readAt);
    await this.database.db.transaction().execute(async (db) => {
      let rows = db.selectFrom('invoices').selectAll().where('app_id', '=', appId).where('subscription_id', '=', subscriptionId).orderBy('created_at', 'desc');
      if (values.dialect === 'postgres') rows = rows.forUpdate();
      const invoices = (await rows.execute()).map((row) => ({ record: invoiceRecord(values, row), syncedAt: values.readTimeOrNull(row.subscription_synced_at) }));
      const current = invoices.find((invoice) => invoice.record.subscriptionStatus !== null);
      await db
        .updateTable('invoices')
        .set({ subscription_status: status, subscription_synced_at: at })
        .where('app_id', '=', appId)
        .where('subscription_id', '=', subscriptionId)
        .where((eb) => eb.or([eb('subscription_synced_at', 'is', null), eb('subscription_synced_at', '<=', at)]))
        .execute();
      const newest = invoices.reduce<Date | null>((max, invoice) => (invoice.syncedAt && (!max || invoice.syncedAt > max) ? invoice.syncedAt : max), null);
      const previousStatus = current?.record.subscriptionStatus ?? null;
      if (invoices.length === 0 || !subscriptionChanged(previousStatus, status) || (newest !== null && newest > readAt)) return;
      const latest = { ...invoices[0]!.record, subscriptionStatus: status };
      const body = appEventBody('subscription.updated', latest, readAt, { id: subscriptionId, status, previousStatus });
      await this.outbox.record(db, appId, [{ type: 'subscription.updated', body, createdAt: readAt }]);
    });
  }

  async list(query: InvoiceQuery): Promise<InvoicePage | undefined> {
    const { db, values } = this.database;
    let page = db
      .selectFrom('invoices')
      .selectAll()
      .where('app_id', '=', query.appId)
      .where('tenant_id', '=', query.tenantId)
      .where('livemode', '=', values.boolean(query.livemode));
    if (query.userId) page = page.where('user_id', '=', query.userId);
    if (query.status) page = page.where('status', '=', query.status);
    const cursorId = query.startingAfter ?? query.endingBefore;
    const backwards = query.endingBefore !== undefined;
    if (cursorId) {
      const cursor = await db
        .selectFrom('invoices')
        .select(['created_at', 'id'])
        .where('app_id', '=', query.appId)
        .where('tenant_id', '=', query.tenantId)
        .where('livemode', '=', values.boolean(query.livemode))
        .where('id', '=', cursorId)
        .executeTakeFirst();
      if (!cursor) return undefined;
      page = page.where((eb) => eb(eb.refTuple('created_at', 'id'), backwards ? '>' : '<', eb.tuple(cursor.created_at, cursor.id)));
    }
    const order = backwards ? 'asc' : 'desc';
    const rows = await page.orderBy('created_at', order).orderBy('id', order).limit(query.limit + 1).execute();
    const taken = rows.slice(0, query.limit);
    if (backwards) taken.reverse();
    return { invoices: taken.map((row) => invoiceRecord(values, row)), hasMore: rows.length > query.limit };
  }
}
