import type { Kysely, SelectQueryBuilder, Selectable } from 'kysely';
import type { InvoicePage, InvoiceQuery, InvoiceReader, InvoiceRecord, SubscriptionStatus } from '../../application/invoice-record';
import type { InvoiceLifecycleStore } from '../../application/lifecycle/lifecycle-ports';
import type { AppId, InvoiceId, TenantId } from '../../domain/ids';
import { READING_COLUMNS, invoiceRecord, invoiceRow } from './invoice-rows';
import type { SqlDatabase } from './open-database';
import type { InvoicesTable, Schema } from './sql-schema';

type InvoiceQueryBuilder = SelectQueryBuilder<Schema, 'invoices', Selectable<InvoicesTable>>;

/**
 * The invoices the service keeps, one row each: written with the ledger's settlement and by the lifecycle, read
 * newest first by keyset. A write carries the time of its Stripe reading and replaces only an older one.
 */
export class SqlInvoices implements InvoiceReader, InvoiceLifecycleStore {
  constructor(private readonly database: SqlDatabase) {}

  /** Inserts the invoice, or brings a known one up to date (its first writing keeps its creation time). */
  async write(invoice: InvoiceRecord, db: Kysely<Schema> = this.database.db): Promise<void> {
    await db
      .insertInto('invoices')
      .values(invoiceRow(this.database.values, invoice))
      .onConflict((conflict) =>
        conflict
          .columns(['app_id', 'id'])
          .doUpdateSet((eb) => Object.fromEntries(READING_COLUMNS.map((column) => [column, eb.ref(`excluded.${column}`)])))
          .where((eb) => eb('invoices.updated_at', '<=', eb.ref('excluded.updated_at'))),
      )
      .execute();
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
    const at = this.database.values.time(readAt);
    await this.database.db
      .updateTable('invoices')
      .set({ subscription_status: status, subscription_synced_at: at })
      .where('app_id', '=', appId)
      .where('subscription_id', '=', subscriptionId)
      .where((eb) => eb.or([eb('subscription_synced_at', 'is', null), eb('subscription_synced_at', '<=', at)]))
      .execute();
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
