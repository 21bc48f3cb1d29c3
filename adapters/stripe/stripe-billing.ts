import type Stripe from 'stripe';
import type {
  BillingOperation,
  BillingProvider,
  InvoiceState,
  PaymentAttempt,
  StripeAccount,
  SubscriptionState,
} from '../../application/billing-provider';
import type { OperationId, PriceId, TaxRateId } from '../../domain/ids';
import type { Invoice } from '../../domain/invoice';
import type { Price } from '../../domain/price';
import type { TaxPolicy } from '../../domain/tax-policy';
import { CatalogCache } from './catalog-cache';
import { DEFAULT_RETRY_POLICY, type CallObserver, type RetryPolicy } from './retry-policy';
import { StripeCalls } from './stripe-calls';
import { StripeInvoiceSteps } from './stripe-invoice-steps';
import { StripeLifecycle } from './stripe-lifecycle';
import { StripeOperationSearch } from './stripe-operation-search';
import { StripeSubscriptionSteps } from './stripe-subscription-steps';
import { priceFrom, taxPolicyFrom } from './stripe-views';
import type { StripePacer } from './stripe-pacing';

export interface StripeBillingOptions {
  retry?: RetryPolicy;
  /** Each Stripe request's latency and outcome, for metrics. */
  observe?: CallObserver;
  /** How long a looked-up price or tax rate is reused (0: never). */
  catalogTtlMs?: number;
  /** Keeps each account's request rate under Stripe's limit (default: not paced). */
  pacer?: StripePacer;
}

type Metadata = Readonly<Record<string, string>>;

/** The billing port on Stripe's API (SDK `stripe`, API 2026-10-28.endive); see stripe-notes for the call sequences. */
export class StripeBilling implements BillingProvider {
  private readonly calls: StripeCalls;
  private readonly catalog: CatalogCache;
  private readonly invoices: StripeInvoiceSteps;
  private readonly subscriptions: StripeSubscriptionSteps;
  private readonly search: StripeOperationSearch;
  /** The same client and retries for what the lifecycle reads and the webhook endpoints it makes. */
  readonly lifecycle: StripeLifecycle;

  constructor(stripe: Stripe, options: StripeBillingOptions = {}) {
    this.calls = new StripeCalls(stripe, options.retry ?? DEFAULT_RETRY_POLICY, options.observe, options.pacer);
    this.catalog = new CatalogCache(options.catalogTtlMs ?? 60_000);
    this.invoices = new StripeInvoiceSteps(this.calls);
    this.subscriptions = new StripeSubscriptionSteps(this.calls);
    this.search = new StripeOperationSearch(this.calls, this.invoices, this.subscriptions);
    this.lifecycle = new StripeLifecycle(this.calls);
  }

  /** How invoices are paid on this account so far: straight from draft, or finalized first (for diagnostics). */
  payPathFor(account: StripeAccount): 'pay-draft' | 'finalize-first' {
    return this.invoices.payPathFor(account);
  }

  findPrice(account: StripeAccount, id: PriceId): Promise<Price | undefined> {
    return this.catalog.get(`${account.secretKey.reveal()}|${id}`, async () => {
      const price = await this.calls.lookup(account, 'price.retrieve', (options) => this.calls.stripe.prices.retrieve(id, {}, options));
      return price && priceFrom(price);
    });
  }

  findTaxRate(account: StripeAccount, id: TaxRateId): Promise<TaxPolicy | undefined> {
    return this.catalog.get(`${account.secretKey.reveal()}|${id}`, async () => {
      const rate = await this.calls.lookup(account, 'tax_rate.retrieve', (options) => this.calls.stripe.taxRates.retrieve(id, {}, options));
      return rate && taxPolicyFrom(rate);
    });
  }

  createDraftInvoice(operation: BillingOperation, invoice: Invoice, metadata: Metadata): Promise<string> {
    return this.invoices.createDraft(operation, invoice, metadata);
  }

  addInvoiceLine(operation: BillingOperation, invoiceId: string, invoice: Invoice): Promise<void> {
    return this.invoices.addLine(operation, invoiceId, invoice);
  }

  payInvoice(operation: BillingOperation, invoiceId: string): Promise<PaymentAttempt> {
    return this.invoices.pay(operation, invoiceId);
  }

  voidInvoice(operation: BillingOperation, invoiceId: string): Promise<void> {
    return this.invoices.void(operation, invoiceId);
  }

  deleteDraftInvoice(operation: BillingOperation, invoiceId: string): Promise<void> {
    return this.invoices.deleteDraft(operation, invoiceId);
  }

  startSubscription(operation: BillingOperation, invoice: Invoice, metadata: Metadata): Promise<SubscriptionState> {
    return this.subscriptions.start(operation, invoice, metadata);
  }

  cancelSubscription(operation: BillingOperation, subscriptionId: string): Promise<void> {
    return this.subscriptions.cancel(operation, subscriptionId);
  }

  readInvoice(account: StripeAccount, invoiceId: string): Promise<InvoiceState | undefined> {
    return this.invoices.read(account, invoiceId);
  }

  readSubscription(account: StripeAccount, subscriptionId: string): Promise<SubscriptionState | undefined> {
    return this.subscriptions.read(account, subscriptionId);
  }

  findInvoiceOf(account: StripeAccount, operationId: OperationId): Promise<InvoiceState | undefined> {
    return this.search.invoiceOf(account, operationId);
  }

  findSubscriptionOf(account: StripeAccount, operationId: OperationId): Promise<SubscriptionState | undefined> {
    return this.search.subscriptionOf(account, operationId);
  }
}
