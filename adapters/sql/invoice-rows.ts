import type { Insertable, Selectable } from 'kysely';
import { subscriptionStatusOf, type InvoiceRecord, type InvoiceStatus, type PaymentStatus } from '../../application/invoice-record';
import { parseAppId, parseIdempotencyKey, parseInvoiceId, parseOperationId, parseTenantId, parseUserId } from '../../domain/ids';
import type { InvoicesTable } from './sql-schema';
import type { SqlValues } from './sql-values';

/** The columns a later reading of an invoice replaces (never its owner, its creation or its subscription's status). */
export const READING_COLUMNS = [
  'number', 'status', 'payment_status', 'subtotal', 'tax', 'total', 'amount_paid', 'amount_refunded', 'hosted_invoice_url',
  'invoice_pdf', 'payment_intent_id', 'subscription_id', 'billing_reason', 'updated_at',
] as const;

export function invoiceRow(values: SqlValues, invoice: InvoiceRecord): Insertable<InvoicesTable> {
  return {
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
    billing_reason: invoice.billingReason,
    subscription_status: invoice.subscriptionStatus,
    subscription_synced_at: invoice.subscriptionStatus ? values.time(invoice.updatedAt) : null,
    created_at: values.time(invoice.createdAt),
    updated_at: values.time(invoice.updatedAt),
  };
}

export function invoiceRecord(values: SqlValues, row: Selectable<InvoicesTable>): InvoiceRecord {
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
    billingReason: row.billing_reason,
    subscriptionStatus: row.subscription_status === null ? null : (subscriptionStatusOf(row.subscription_status) ?? null),
    createdAt: values.readTime(row.created_at),
    updatedAt: values.readTime(row.updated_at),
  };
}
