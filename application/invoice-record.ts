import type { ServiceIdentifier } from 'inversify';
import type { AppId, IdempotencyKey, InvoiceId, OperationId, TenantId, UserId } from '../domain/ids';
import type { InvoiceMode } from '../domain/modes';

/** Stripe's invoice statuses. */
export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'void', 'uncollectible'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Where the invoice's payment stands: the charge's status, or what became of it later. */
export const PAYMENT_STATUSES = [
  'succeeded', 'requires_action', 'processing', 'failed', 'nothing_to_charge', 'refunded', 'partially_refunded', 'disputed',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** Stripe's subscription statuses. */
export const SUBSCRIPTION_STATUSES = [
  'incomplete', 'incomplete_expired', 'trialing', 'active', 'past_due', 'canceled', 'unpaid', 'paused',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export function subscriptionStatusOf(raw: string): SubscriptionStatus | undefined {
  return (SUBSCRIPTION_STATUSES as readonly string[]).includes(raw) ? (raw as SubscriptionStatus) : undefined;
}

/** A tenant's invoice as the service keeps it: one row per Stripe invoice a charge created, kept current. */
export interface InvoiceRecord {
  id: InvoiceId;
  appId: AppId;
  tenantId: TenantId;
  userId: UserId;
  operationId: OperationId;
  idempotencyKey: IdempotencyKey | null;
  number: string | null;
  status: InvoiceStatus;
  paymentStatus: PaymentStatus;
  mode: InvoiceMode;
  livemode: boolean;
  currency: string;
  subtotal: number;
  tax: number;
  total: number;
  amountPaid: number;
  amountRefunded: number;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
  paymentIntentId: string | null;
  subscriptionId: string | null;
  /** Stripe's reason for the invoice: `manual` (a one-off charge), `subscription_create`, `subscription_cycle` (a renewal). */
  billingReason: string | null;
  /** The status of the subscription the invoice belongs to, kept current. */
  subscriptionStatus: SubscriptionStatus | null;
  createdAt: Date;
  /** When the service last read the invoice from Stripe: a write carrying an older reading never replaces a newer one. */
  updatedAt: Date;
}

/**
 * A tenant's invoice as the service shows it to the app (the read API, and the events sent to the app): the ids it
 * needs, nothing internal.
 */
export function invoiceData(invoice: InvoiceRecord) {
  return {
    id: invoice.id,
    number: invoice.number,
    status: invoice.status,
    paymentStatus: invoice.paymentStatus,
    mode: invoice.mode,
    livemode: invoice.livemode,
    currency: invoice.currency,
    subtotal: invoice.subtotal,
    tax: invoice.tax,
    total: invoice.total,
    amountPaid: invoice.amountPaid,
    amountRefunded: invoice.amountRefunded,
    hostedInvoiceUrl: invoice.hostedInvoiceUrl,
    invoicePdf: invoice.invoicePdf,
    paymentIntentId: invoice.paymentIntentId,
    subscriptionId: invoice.subscriptionId,
    subscriptionStatus: invoice.subscriptionStatus,
    billingReason: invoice.billingReason,
    tenantId: invoice.tenantId,
    userId: invoice.userId,
    idempotencyKey: invoice.idempotencyKey,
    createdAt: invoice.createdAt.toISOString(),
    updatedAt: invoice.updatedAt.toISOString(),
  };
}
export type InvoiceData = ReturnType<typeof invoiceData>;

export interface InvoiceQuery {
  appId: AppId;
  tenantId: TenantId;
  livemode: boolean;
  userId?: UserId | undefined;
  status?: InvoiceStatus | undefined;
  limit: number;
  /** Newest first: the page after this invoice, or (endingBefore) the page before it. At most one of the two. */
  startingAfter?: InvoiceId | undefined;
  endingBefore?: InvoiceId | undefined;
}

export interface InvoicePage {
  invoices: InvoiceRecord[];
  /** Whether more invoices follow in the direction the page was taken. */
  hasMore: boolean;
}

/** Reads a tenant's invoices, newest first, by keyset (never OFFSET). */
export interface InvoiceReader {
  find(appId: AppId, tenantId: TenantId, id: InvoiceId): Promise<InvoiceRecord | undefined>;
  /** Undefined when the cursor is not an invoice of this tenant, app and mode. */
  list(query: InvoiceQuery): Promise<InvoicePage | undefined>;
}
export const InvoiceReader: ServiceIdentifier<InvoiceReader> = Symbol('InvoiceReader');
