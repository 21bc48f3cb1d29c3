import { invoiceData, type InvoiceRecord, type SubscriptionStatus } from '../invoice-record';

/** What the service tells an app about its tenants' invoices (Standard Webhooks `type`). */
export const APP_EVENT_TYPES = [
  'invoice.paid',
  'invoice.payment_failed',
  'invoice.payment_action_required',
  'invoice.voided',
  'invoice.refunded',
  'invoice.disputed',
  'subscription.updated',
] as const;
export type AppEventType = (typeof APP_EVENT_TYPES)[number];

/** An event for the app, as the outbox keeps it: the body is what every delivery of it sends, byte for byte. */
export interface AppEvent {
  /** `msg_…`: the `webhook-id` of every delivery of this event, retries and redeliveries included. */
  id: string;
  appId: string;
  type: AppEventType;
  body: string;
  createdAt: Date;
}

/**
 * The events a change of an invoice gives, in the order they happened: one for each thing the app acts on (paid,
 * failed, waiting for the customer, voided, refunded, disputed). The first recording of an invoice counts as a
 * change from nothing, so a charge's own answer is told too; a repeated reading that changes nothing tells nothing.
 */
export function invoiceEventTypes(before: InvoiceRecord | undefined, after: InvoiceRecord): AppEventType[] {
  const types: AppEventType[] = [];
  const became = <K extends 'status' | 'paymentStatus'>(field: K, value: InvoiceRecord[K]) => after[field] === value && before?.[field] !== value;
  if (became('paymentStatus', 'requires_action')) types.push('invoice.payment_action_required');
  if (became('paymentStatus', 'failed')) types.push('invoice.payment_failed');
  if (became('status', 'paid')) types.push('invoice.paid');
  if (became('status', 'void')) types.push('invoice.voided');
  if (after.amountRefunded > (before?.amountRefunded ?? 0)) types.push('invoice.refunded');
  if (became('paymentStatus', 'disputed')) types.push('invoice.disputed');
  return types;
}

/** A subscription's status changed: the app hears `subscription.updated`. */
export function subscriptionChanged(previous: SubscriptionStatus | null, next: SubscriptionStatus): boolean {
  return previous !== next;
}

/** The body of an event: `data` carries the invoice as the read API shows it and what correlates it with the request. */
export function appEventBody(
  type: AppEventType,
  invoice: InvoiceRecord,
  at: Date,
  subscription?: { id: string; status: SubscriptionStatus; previousStatus: SubscriptionStatus | null },
): string {
  return JSON.stringify({
    type,
    timestamp: at.toISOString(),
    data: {
      invoice: invoiceData(invoice),
      tenantId: invoice.tenantId,
      userId: invoice.userId,
      idempotencyKey: invoice.idempotencyKey,
      operationId: invoice.operationId,
      ...(subscription ? { subscription } : {}),
    },
  });
}
