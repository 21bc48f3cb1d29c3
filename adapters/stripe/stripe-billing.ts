import type Stripe from 'stripe';
import type { BillingProvider, ChargeProgress, ChargeRequest, ChargeResult, FoundCharge, StripeAccount } from '../../application/billing-provider';
import type { OperationId, PriceId, TaxRateId } from '../../domain/ids';
import type { InvoiceMode } from '../../domain/modes';
import type { Price } from '../../domain/price';
import type { TaxPolicy } from '../../domain/tax-policy';
import { CatalogCache } from './catalog-cache';
import { DEFAULT_RETRY_POLICY, type CallObserver, type RetryPolicy } from './retry-policy';
import { StripeCalls } from './stripe-calls';
import { StripeChargeLookup } from './stripe-charge-lookup';
import { StripeOneOffCharge } from './stripe-one-off-charge';
import { StripeSubscriptionCharge } from './stripe-subscription-charge';
import { priceFrom, taxPolicyFrom } from './stripe-views';

export interface StripeBillingOptions {
  retry?: RetryPolicy;
  /** Each Stripe request's latency and outcome, for metrics. */
  observe?: CallObserver;
  /** How long a looked-up price or tax rate is reused (0: never). */
  catalogTtlMs?: number;
}

/** The billing port on Stripe's API (SDK `stripe`, API 2026-10-28.endive); see stripe-notes for the call sequences. */
export class StripeBilling implements BillingProvider {
  private readonly calls: StripeCalls;
  private readonly catalog: CatalogCache;
  private readonly oneOff: StripeOneOffCharge;
  private readonly subscriptions: StripeSubscriptionCharge;
  private readonly lookup: StripeChargeLookup;

  constructor(stripe: Stripe, options: StripeBillingOptions = {}) {
    this.calls = new StripeCalls(stripe, options.retry ?? DEFAULT_RETRY_POLICY, options.observe);
    this.catalog = new CatalogCache(options.catalogTtlMs ?? 60_000);
    this.oneOff = new StripeOneOffCharge(this.calls);
    this.subscriptions = new StripeSubscriptionCharge(this.calls);
    this.lookup = new StripeChargeLookup(this.calls, this.subscriptions);
  }

  /** How invoices are paid on this account so far: straight from draft, or finalized first (for diagnostics). */
  payPathFor(account: StripeAccount): 'pay-draft' | 'finalize-first' {
    return this.oneOff.payPathFor(account);
  }

  findPrice(account: StripeAccount, id: PriceId): Promise<Price | undefined> {
    return this.catalog.get(`${account.secretKey.reveal()}|${id}`, () =>
      this.calls.lookup(account, 'price.retrieve', (options) => this.calls.stripe.prices.retrieve(id, {}, options), priceFrom),
    );
  }

  findTaxRate(account: StripeAccount, id: TaxRateId): Promise<TaxPolicy | undefined> {
    return this.catalog.get(`${account.secretKey.reveal()}|${id}`, () =>
      this.calls.lookup(account, 'tax_rate.retrieve', (options) => this.calls.stripe.taxRates.retrieve(id, {}, options), taxPolicyFrom),
    );
  }

  chargeOneOff(request: ChargeRequest): Promise<ChargeResult> {
    return this.oneOff.charge(request);
  }

  startSubscription(request: ChargeRequest): Promise<ChargeResult> {
    return this.subscriptions.start(request);
  }

  findCharge(account: StripeAccount, mode: InvoiceMode, operationId: OperationId): Promise<FoundCharge | undefined> {
    return this.lookup.find(account, mode, operationId);
  }

  abandon(account: StripeAccount, progress: ChargeProgress, operationId: OperationId): Promise<void> {
    return this.lookup.abandon(account, progress, operationId);
  }
}
