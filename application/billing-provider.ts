import type { ServiceIdentifier } from 'inversify';
import type { AppId, OperationId, PriceId, TaxRateId } from '../domain/ids';
import type { Invoice } from '../domain/invoice';
import type { InvoiceMode, StripeMode } from '../domain/modes';
import type { Price } from '../domain/price';
import type { TaxPolicy } from '../domain/tax-policy';
import type { Secret } from './secret';

/** An app's Stripe account in one mode: the secret key every billing call for that app and mode is made with. */
export interface StripeAccount {
  appId: AppId;
  mode: StripeMode;
  secretKey: Secret;
}

/** The PaymentIntent of a charged invoice: the fields the service reads, and Stripe's object as Stripe sent it. */
export interface PaymentIntentView {
  id: string;
  status: string;
  amount: number;
  currency: string;
  clientSecret: string | null;
  object: Record<string, unknown>;
}

export interface BilledInvoice {
  id: string;
  number: string | null;
  status: string;
  currency: string;
  subtotal: number;
  tax: number;
  total: number;
  amountPaid: number;
  hostedInvoiceUrl: string | null;
  invoicePdf: string | null;
  livemode: boolean;
}

export interface StartedSubscription {
  id: string;
  status: string;
}

export interface ChargeResult {
  /** Null when Stripe charged nothing: amount below the currency minimum, or covered by customer credit. */
  paymentIntent: PaymentIntentView | null;
  invoice: BilledInvoice;
  subscription: StartedSubscription | null;
}

/**
 * How far a charge got at Stripe. A one-off invoice goes started → invoice_created → lines_added → paid; a
 * subscription goes started → subscription_created. Kept with the Idempotency-Key, so that a retry resumes from
 * the last point and never repeats a step.
 */
export type RecoveryPoint = 'started' | 'invoice_created' | 'lines_added' | 'paid' | 'subscription_created';

export interface ChargeProgress {
  point: RecoveryPoint;
  invoiceId: string | null;
  subscriptionId: string | null;
}

export const NOT_STARTED: ChargeProgress = { point: 'started', invoiceId: null, subscriptionId: null };

export interface ChargeRequest {
  account: StripeAccount;
  invoice: Invoice;
  /** Every Stripe write of this charge carries a key derived from this id and the step (stripeIdempotencyKey). */
  operationId: OperationId;
  /** Written onto the Stripe objects so that an operation can be found from Stripe's side. */
  metadata: Readonly<Record<string, string>>;
  /** Where an earlier attempt of this operation got to; NOT_STARTED for a new one. */
  resumeFrom: ChargeProgress;
  /**
   * Called after each Stripe write, before the next: the point must be committed before going on. It throws when
   * this attempt has lost its lease (another holder took the operation over), which stops the charge.
   */
  checkpoint(progress: ChargeProgress): Promise<void>;
}

/**
 * Charges tenants. Declines and a missing payment method are thrown as PaymentDeclined / NoPaymentMethod, after
 * the unpaid invoice or subscription has been voided or cancelled; Stripe being unreachable as UpstreamUnavailable;
 * the app's key refused as StripeAccountRejected. A 3-D Secure challenge is a result whose PaymentIntent has status
 * `requires_action`.
 */
export interface BillingProvider {
  findPrice(account: StripeAccount, id: PriceId): Promise<Price | undefined>;
  findTaxRate(account: StripeAccount, id: TaxRateId): Promise<TaxPolicy | undefined>;
  chargeOneOff(request: ChargeRequest): Promise<ChargeResult>;
  startSubscription(request: ChargeRequest): Promise<ChargeResult>;
  /**
   * What Stripe holds for an operation, found by the operation id in its metadata (for an outcome nobody recorded):
   * how far it got, and the finished charge if it finished. Undefined when Stripe has nothing for it.
   */
  findCharge(account: StripeAccount, mode: InvoiceMode, operationId: OperationId): Promise<FoundCharge | undefined>;
  /** Voids an unpaid invoice, or cancels an incomplete subscription, of an operation abandoned before its charge. */
  abandon(account: StripeAccount, progress: ChargeProgress, operationId: OperationId): Promise<void>;
}

export interface FoundCharge {
  progress: ChargeProgress;
  /** Set once the charge finished (paid, waiting for 3-D Secure, or nothing to charge). */
  result: ChargeResult | null;
}
export const BillingProvider: ServiceIdentifier<BillingProvider> = Symbol('BillingProvider');

/** The steps of a charge that write to Stripe, each with its own idempotency key. */
export type StripeStep =
  | 'invoice.create'
  | 'invoice.add_lines'
  | 'invoice.finalize'
  | 'invoice.pay'
  | 'invoice.pay_after_finalize'
  | 'invoice.void'
  | 'invoice.delete'
  | 'subscription.create'
  | 'subscription.cancel';

/** `<operation id>:<step>`: the same operation always sends Stripe the same key for the same step. */
export function stripeIdempotencyKey(operationId: OperationId, step: StripeStep): string {
  return `${operationId}:${step}`;
}
