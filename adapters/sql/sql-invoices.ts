import type { Kysely, Selectable } from 'kysely';
import type { InvoicePage, InvoiceQuery, InvoiceReader, InvoiceRecord, InvoiceStatus, PaymentStatus } from '../../application/invoice-record';
import {
  parseAppId,
  parseIdempotencyKey,
  parseInvoiceId,
  parseOperationId,
  parseTenantId,
  parseUserId,
  type AppId,
  type InvoiceId,
  type TenantId,
} from '../../domain/ids';
import type { SqlDatabase } from './open-database';
import type { InvoicesTable, Schema } from './sql-schema';

const UPDATED = [
  'number', 'status', 'payment_status', 'subtotal', 'tax', 'total', 'amount_paid', 'amount_refunded', 'hosted_invoice_url',
  'invoice_pdf', 'payment_intent_id', 'subscription_id', 'updated_at',
] as const;

/** The invoices the charges created, one row each: written with the ledger, read newest first by keyset. */
export class SqlInvoices implements InvoiceReader {
  constructor(private readonly database: SqlDatabase) {}

  /** Inserts the invoice, or brings a known one up to date (its first writing keeps its creation time). */
  async write(db: Kysely<Schema>, invoice: InvoiceRecord): Promise<void> {
    const { values } = this.database;
    await db
      .insertInto('invoices')
      .values({
        app_id: invoice.appId,
        id: invoice.id,
        tenant_id: invoice.tenantId,
        user_id: invoice.userId,
        operation_id: invoice.operationId,
        idempotency_key: invoice.idempotencyKey,
        number: invoice.number,
        status: invoice.status,
        payment_status: invoice.paymentStatus,
        mode: invoice.mode,
        livemode: values.boolean(invoice.livemode),
        currency: invoice.currency,
        subtotal: invoice.subtotal,
        tax: invoice.tax,
        total: invoice.total,
        amount_paid: invoice.amountPaid,
        amount_refunded: invoice.amountRefunded,
        hosted_invoice_url: invoice.hostedInvoiceUrl,
        invoice_pdf: invoice.invoicePdf,
        payment_intent_id: invoice.paymentIntentId,
        subscription_id: invoice.subscriptionId,
        created_at: values.time(invoice.createdAt),
        updated_at: values.time(invoice.updatedAt),
      })
      .onConflict((conflict) =>
        conflict.columns(['app_id', 'id']).doUpdateSet((eb) => Object.fromEntries(UPDATED.map((column) => [column, eb.ref(`excluded.${column}`)]))),
      )
      .execute();
  }

  async find(appId: AppId, tenantId: TenantId, id: InvoiceId): Promise<InvoiceRecord | undefined> {
    const row = await this.database.db
      .selectFrom('invoices')
      .selectAll()
      .where('app_id', '=', appId)
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && this.toRecord(row);
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
    return { invoices: taken.map((row) => this.toRecord(row)), hasMore: rows.length > query.limit };
  }

  private toRecord(row: Selectable<InvoicesTable>): InvoiceRecord {
    const { values } = this.database;
    return {
      id: parseInvoiceId(row.id),
      appId: parseAppId(row.app_id),
      tenantId: parseTenantId(row.tenant_id),
      userId: parseUserId(row.user_id),
      operationId: parseOperationId(row.operation_id),
      idempotencyKey: row.idempotency_key === null ? null : parseIdempotencyKey(row.idempotency_key),
      number: row.number,
      status: row.status as InvoiceStatus,
      paymentStatus: row.payment_status as PaymentStatus,
      mode: row.mode,
      livemode: values.readBoolean(row.livemode),
      currency: row.currency,
      subtotal: values.readInteger(row.subtotal),
      tax: values.readInteger(row.tax),
      total: values.readInteger(row.total),
      amountPaid: values.readInteger(row.amount_paid),
      amountRefunded: values.readInteger(row.amount_refunded),
      hostedInvoiceUrl: row.hosted_invoice_url,
      invoicePdf: row.invoice_pdf,
      paymentIntentId: row.payment_intent_id,
      subscriptionId: row.subscription_id,
      createdAt: values.readTime(row.created_at),
      updatedAt: values.readTime(row.updated_at),
    };
  }
}
