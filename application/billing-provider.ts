import type { ServiceIdentifier } from 'inversify';
import type { AppId, OperationId, PriceId, TaxRateId } from '../domain/ids';
import type { Invoice } from '../domain/invoice';
import type { StripeMode } from '../domain/modes';
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

export interface ChargeRequest {
  account: StripeAccount;
  invoice: Invoice;
  /** Every Stripe write of this charge carries a key derived from this id and the step (stripeIdempotencyKey). */
  operationId: OperationId;
  /** Written onto the Stripe objects so that an operation can be found from Stripe's side. */
  metadata: Readonly<Record<string, string>>;
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
