import type { InvoiceId } from '../../domain/ids';
import { intentStatusOf } from '../invoice-charged';
import { INVOICE_STATUSES, type InvoiceRecord, type InvoiceStatus, type PaymentStatus } from '../invoice-record';

/** What Stripe holds now of an invoice and of the payment it collected: read afresh, never taken from an event. */
export interface InvoiceLife {
  id: string;
  number: string | null;
  status: string;
  billingReason: string | null;
  livemode: boolean;
  currency: string;
  subtotal: number;
  tax: number;
  total: number;
  amountDue: number;
  amountPaid: number;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
  subscriptionId: string | null;
  /** Whether Stripe has tried to collect it yet. */
  attempted: boolean;
  paymentIntent: { id: string; status: string } | null;
  /** The PaymentIntent's charge, once money moved. */
  charge: { amountCaptured: number; amountRefunded: number; disputed: boolean } | null;
}

export function invoiceStatusOf(raw: string): InvoiceStatus {
  return (INVOICE_STATUSES as readonly string[]).includes(raw) ? (raw as InvoiceStatus) : 'open';
}


/**
 * Where an invoice's payment stands, from what Stripe holds: what happened to the money after it moved (a dispute,
 * then refunds) wins over how the payment went. A PaymentIntent that needs a payment method failed only once Stripe
 * attempted it (Stripe may create it when the invoice is finalized, before collecting).
 */
export function paymentStatusOf(life: InvoiceLife): PaymentStatus {
  const { charge, paymentIntent } = life;
  if (charge?.disputed) return 'disputed';
  if (charge && charge.amountRefunded > 0) return charge.amountRefunded >= charge.amountCaptured ? 'refunded' : 'partially_refunded';
  if (life.status === 'paid' && !paymentIntent) return 'nothing_to_charge';
  if (life.status === 'void' || life.status === 'uncollectible') return paymentIntent?.status === 'succeeded' ? 'succeeded' : 'failed';
  const status = paymentIntent ? intentStatusOf(paymentIntent.status) : undefined;
  if (status) return status;
  // Not collected yet (a draft, or a finalized invoice Stripe has not attempted) is still on its way.
  return life.attempted ? 'failed' : 'processing';
}

/**
 * The record of an invoice as Stripe holds it now. Who it belongs to comes from `origin`: the record itself when the
 * service already keeps it, else the first invoice of the subscription it renews. The subscription's status is kept
 * apart (InvoiceLifecycleStore.setSubscriptionStatus).
 */
export function recordFromLife(origin: InvoiceRecord, life: InvoiceLife, readAt: Date): InvoiceRecord {
  const known = origin.id === life.id;
  return {
    id: life.id as InvoiceId,
    appId: origin.appId,
    tenantId: origin.tenantId,
    userId: origin.userId,
    operationId: origin.operationId,
    idempotencyKey: origin.idempotencyKey,
    mode: origin.mode,
    livemode: life.livemode,
    number: life.number,
    status: invoiceStatusOf(life.status),
    paymentStatus: paymentStatusOf(life),
    currency: life.currency,
    subtotal: life.subtotal,
    tax: life.tax,
    total: life.total,
    amountPaid: life.amountPaid,
    amountRefunded: life.charge?.amountRefunded ?? 0,
    hostedInvoiceUrl: life.hostedInvoiceUrl,
    invoicePdf: life.invoicePdf,
    paymentIntentId: life.paymentIntent?.id ?? null,
    subscriptionId: life.subscriptionId,
    billingReason: life.billingReason,
    subscriptionStatus: known ? origin.subscriptionStatus : null,
    createdAt: known ? origin.createdAt : readAt,
    updatedAt: readAt,
  };
}
