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

/** A finished charge: the invoice, its PaymentIntent, and the subscription it started. */
export interface ChargeResult {
  /** Null when Stripe charged nothing: amount below the currency minimum, or covered by customer credit. */
  paymentIntent: PaymentIntentView | null;
  invoice: BilledInvoice;
  subscription: StartedSubscription | null;
}

/** Whose Stripe writes these are: the app's account, the operation they belong to, and its start (restarts). */
export interface BillingOperation {
  account: StripeAccount;
  operationId: OperationId;
  /** Each start of an operation is idempotent on its own: a restarted charge must not replay the first start. */
  restarts: number;
}

/** What Stripe holds of an invoice now. */
export interface InvoiceState {
  invoice: BilledInvoice;
  /** 0 for a draft whose line was never added. */
  lineCount: number;
  /** The PaymentIntent of the invoice's payment, once Stripe attempted one. */
  paymentIntent: PaymentIntentView | null;
}

/** How Stripe's attempt to collect an invoice ended. */
export type PaymentAttempt =
  /** Paid, waiting for 3-D Secure, processing, or nothing to charge. */
  | { outcome: 'collected'; invoice: InvoiceState }
  | { outcome: 'declined'; declineCode: string | undefined }
  | { outcome: 'no_payment_method' };

/** What Stripe holds of a subscription now: it, its first invoice, and how collecting that invoice went. */
export interface SubscriptionState {
  subscription: StartedSubscription;
  invoice: InvoiceState;
  attempt: PaymentAttempt;
}

/**
 * Stripe, as the idempotent steps of a charge. Every write step is idempotent per operation (and restart): repeating
 * it under the same operation answers what the first call did and creates nothing new (for at least a day). The steps keep
 * only Stripe's quirks; the order of the steps, the recovery points and the cleanup after a failure are
 * ChargeInvoice's. Failures: Stripe refusing the request before charging as domain errors (PriceNotUsable,
 * TaxRateNotApplicable, Forbidden for a missing customer, NoPaymentMethod), Stripe being unreachable as
 * UpstreamUnavailable, the app's key refused as StripeAccountRejected, and any other refusal that no retry changes
 * (a bug, or a request the SDK cannot even send) as BillingRequestRejected.
 */
export interface BillingProvider {
  findPrice(account: StripeAccount, id: PriceId): Promise<Price | undefined>;
  findTaxRate(account: StripeAccount, id: TaxRateId): Promise<TaxPolicy | undefined>;

  /** A draft invoice without lines for the invoice's customer; the metadata lets the operation be found again. */
  createDraftInvoice(operation: BillingOperation, invoice: Invoice, metadata: Readonly<Record<string, string>>): Promise<string>;
  addInvoiceLine(operation: BillingOperation, invoiceId: string, invoice: Invoice): Promise<void>;
  /** Finalizes and collects the invoice with the customer's default payment method. */
  payInvoice(operation: BillingOperation, invoiceId: string): Promise<PaymentAttempt>;
  voidInvoice(operation: BillingOperation, invoiceId: string): Promise<void>;
  deleteDraftInvoice(operation: BillingOperation, invoiceId: string): Promise<void>;
  /** A subscription on the invoice's price; Stripe creates and collects its first invoice within this step. */
  startSubscription(operation: BillingOperation, invoice: Invoice, metadata: Readonly<Record<string, string>>): Promise<SubscriptionState>;
  cancelSubscription(operation: BillingOperation, subscriptionId: string): Promise<void>;

  /** Undefined when Stripe has no such invoice (any more). */
  readInvoice(account: StripeAccount, invoiceId: string): Promise<InvoiceState | undefined>;
  readSubscription(account: StripeAccount, subscriptionId: string): Promise<SubscriptionState | undefined>;
  /** The invoice an operation created, found by the operation id in its metadata; for outcomes nobody recorded. */
  findInvoiceOf(account: StripeAccount, operationId: OperationId): Promise<InvoiceState | undefined>;
  findSubscriptionOf(account: StripeAccount, operationId: OperationId): Promise<SubscriptionState | undefined>;
}
export const BillingProvider: ServiceIdentifier<BillingProvider> = Symbol('BillingProvider');
