import type { LedgerFilter, LedgerReader } from '../../application/admin-ports';
import type { ChargeLedger, KeyCompletion, LedgerEntry, LedgerOutcome, LedgerRow, LedgerSettlement } from '../../application/ports';
import {
  parseApiKeyId,
  parseAppId,
  parseIdempotencyKey,
  parseOperationId,
  parseTenantId,
  parseUserId,
} from '../../domain/ids';
import type { Kysely } from 'kysely';
import type { InvoiceRecord } from '../../application/invoice-record';
import type { SqlDatabase } from './open-database';
import type { SqlIdempotencyRecords } from './sql-idempotency-records';
import type { SqlInvoices } from './sql-invoices';
import type { ChargeLedgerTable, Schema } from './sql-schema';

/**
 * One row per charge attempt: written before Stripe is called, settled with what Stripe answered; and, in the same
 * transaction, the invoice row that settlement reached and the Idempotency-Key's final answer.
 */
export class SqlChargeLedger implements ChargeLedger, LedgerReader {
  constructor(
    private readonly database: SqlDatabase,
    private readonly invoices: SqlInvoices,
    private readonly records: SqlIdempotencyRecords,
  ) {}

  async begin(entry: LedgerEntry): Promise<void> {
    const { db, values } = this.database;
    await db
      .insertInto('charge_ledger')
      .values({
        id: entry.id,
        operation_id: entry.operationId,
        app_id: entry.appId,
        api_key_id: entry.apiKeyId,
        tenant_id: entry.tenantId,
        user_id: entry.userId,
        mode: entry.mode,
        livemode: values.boolean(entry.livemode),
        currency: entry.currency,
        subtotal: entry.subtotal,
        tax: entry.tax,
        total: entry.total,
        idempotency_key: entry.idempotencyKey,
        outcome: 'pending',
        started_at: values.time(entry.startedAt),
      })
      .execute();
  }

  async settle(id: string, settlement: LedgerSettlement, invoice?: InvoiceRecord, completion?: KeyCompletion): Promise<void> {
    const { db } = this.database;
    if (!invoice && !completion) return this.settleRow(db, id, settlement);
    await db.transaction().execute(async (transaction) => {
      await this.settleRow(transaction, id, settlement);
      if (invoice) await this.invoices.writeSettled(invoice, transaction);
      if (completion) await this.records.complete(completion, transaction);
    });
  }

  /** Throws when there is no such row: nothing written with the settlement (invoice, answer) may stand without it. */
  private async settleRow(db: Kysely<Schema>, id: string, settlement: LedgerSettlement): Promise<void> {
    const { values } = this.database;
    const settled = await db
      .updateTable('charge_ledger')
      .set({
        outcome: settlement.outcome,
        stripe_invoice_id: settlement.stripeInvoiceId,
        stripe_payment_intent_id: settlement.stripePaymentIntentId,
        stripe_subscription_id: settlement.stripeSubscriptionId,
        decline_code: settlement.declineCode,
        finished_at: values.time(settlement.finishedAt),
      })
      .where('id', '=', id)
      .executeTakeFirst();
    if (Number(settled.numUpdatedRows) !== 1) throw new Error(`No ledger row ${id} to settle`);
  }

  async list(filter: LedgerFilter): Promise<LedgerRow[]> {
    let query = this.database.db.selectFrom('charge_ledger').selectAll();
    if (filter.appId) query = query.where('app_id', '=', filter.appId);
    if (filter.tenantId) query = query.where('tenant_id', '=', filter.tenantId);
    if (filter.operationId) query = query.where('operation_id', '=', filter.operationId);
    const rows = await query.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
    return rows.map((row) => this.toRow(row));
  }

  async unsettled(startedBefore: Date, limit: number): Promise<LedgerRow[]> {
    const { db, values } = this.database;
    const rows = await db
      .selectFrom('charge_ledger')
      .selectAll()
      .where('outcome', 'in', ['pending', 'unknown'])
      .where('started_at', '<', values.time(startedBefore))
      .orderBy('started_at')
      .limit(limit)
      .execute();
    return rows.map((row) => this.toRow(row));
  }

  private toRow(row: { [K in keyof ChargeLedgerTable]: unknown }): LedgerRow {
    const { values } = this.database;
    const optional = (value: unknown) => (value === null || value === undefined ? null : String(value));
    return {
      id: String(row.id),
      operationId: parseOperationId(String(row.operation_id)),
      appId: parseAppId(String(row.app_id)),
      apiKeyId: parseApiKeyId(String(row.api_key_id)),
      tenantId: parseTenantId(String(row.tenant_id)),
      userId: parseUserId(String(row.user_id)),
      mode: row.mode === 'subscription' ? 'subscription' : 'payment',
      livemode: values.readBoolean(row.livemode),
      currency: String(row.currency),
      subtotal: values.readInteger(row.subtotal),
      tax: values.readInteger(row.tax),
      total: values.readInteger(row.total),
      idempotencyKey: row.idempotency_key === null ? null : parseIdempotencyKey(String(row.idempotency_key)),
      startedAt: values.readTime(row.started_at),
      outcome: String(row.outcome) as LedgerOutcome,
      stripeInvoiceId: optional(row.stripe_invoice_id),
      stripePaymentIntentId: optional(row.stripe_payment_intent_id),
      stripeSubscriptionId: optional(row.stripe_subscription_id),
      declineCode: optional(row.decline_code),
      finishedAt: values.readTimeOrNull(row.finished_at),
    };
  }
}
