import type Stripe from 'stripe';
import {
  stripeIdempotencyKey,
  type BillingProvider,
  type ChargeProgress,
  type ChargeRequest,
  type FoundCharge,
  type RecoveryPoint,
  type ChargeResult,
  type StripeAccount,
  type StripeStep,
} from '../../application/billing-provider';
import { DomainError, NoPaymentMethod, PaymentDeclined } from '../../domain/errors';
import type { OperationId, PriceId, TaxRateId } from '../../domain/ids';
import type { InvoiceMode } from '../../domain/modes';
import type { Price } from '../../domain/price';
import type { TaxPolicy } from '../../domain/tax-policy';
import { CatalogCache } from './catalog-cache';
import { DEFAULT_RETRY_POLICY, withRetries, type CallObserver, type RetryPolicy } from './retry-policy';
import { isDraftPayRefusal, isNotFound, isRequiresAction, translateStripeError } from './stripe-error-table';
import { billedInvoice, defaultPayment, paymentIntentView, priceFrom, taxPolicyFrom } from './stripe-views';

export interface StripeBillingOptions {
  retry?: RetryPolicy;
  /** Each Stripe request's latency and outcome, for metrics. */
  observe?: CallObserver;
  /** How long a looked-up price or tax rate is reused (0: never). */
  catalogTtlMs?: number;
}

const PAYMENT_INTENT = 'payments.data.payment.payment_intent';

/** The billing port on Stripe's API (SDK `stripe`, API 2026-10-28.endive); see stripe-notes for the call sequences. */
export class StripeBilling implements BillingProvider {
  private readonly retry: RetryPolicy;
  private readonly observe: CallObserver | undefined;
  private readonly catalog: CatalogCache;
  /** Accounts where Stripe refused to pay a draft: they get an explicit finalize first. */
  private readonly finalizeFirst = new Set<string>();

  constructor(
    private readonly stripe: Stripe,
    options: StripeBillingOptions = {},
  ) {
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.observe = options.observe;
    this.catalog = new CatalogCache(options.catalogTtlMs ?? 60_000);
  }

  /** How invoices are paid on this account so far: straight from draft, or finalized first (for diagnostics). */
  payPathFor(account: StripeAccount): 'pay-draft' | 'finalize-first' {
    return this.finalizeFirst.has(`${account.appId}|${account.mode}`) ? 'finalize-first' : 'pay-draft';
  }

  findPrice(account: StripeAccount, id: PriceId): Promise<Price | undefined> {
    return this.catalog.get(`${account.secretKey.reveal()}|${id}`, () =>
      this.lookup(account, 'price.retrieve', () => this.stripe.prices.retrieve(id, {}, { apiKey: account.secretKey.reveal() }), priceFrom),
    );
  }

  findTaxRate(account: StripeAccount, id: TaxRateId): Promise<TaxPolicy | undefined> {
    return this.catalog.get(`${account.secretKey.reveal()}|${id}`, () =>
      this.lookup(account, 'tax_rate.retrieve', () => this.stripe.taxRates.retrieve(id, {}, { apiKey: account.secretKey.reveal() }), taxPolicyFrom),
    );
  }

  /**
   * Draft → add the line → pay with the PaymentIntent expanded: 3 sequential requests, each followed by a checkpoint.
   * A resumed charge starts at its recovery point and looks Stripe up before repeating anything.
   */
  async chargeOneOff(request: ChargeRequest): Promise<ChargeResult> {
    const { resumeFrom } = request;
    let { point, invoiceId } = resumeFrom;
    if (point === 'started') {
      invoiceId = (await this.createDraft(request)).id;
      point = await this.reach(request, 'invoice_created', invoiceId, null);
    }
    const id = invoiceId!;
    if (point === 'invoice_created') {
      const lined = resumeFrom.point === 'invoice_created' && (await this.retrieveInvoice(request.account, id)).lines.data.length > 0;
      if (!lined) await this.addLine(request, id);
      point = await this.reach(request, 'lines_added', id, null);
    }
    if (point === 'lines_added') {
      const charged = await this.payOrFindPaid(request, id, resumeFrom.point === 'lines_added');
      await this.reach(request, 'paid', id, null);
      return charged;
    }
    // The charge finished before a crash: its answer is read back from Stripe.
    return chargeResult(await this.retrieveInvoice(request.account, id), null);
  }

  private createDraft(request: ChargeRequest): Promise<Stripe.Invoice> {
    const { invoice: draft, metadata } = request;
    return this.translated(request, 'invoice.create', (options) =>
      this.stripe.invoices.create(
        {
          customer: draft.customer,
          currency: draft.currency,
          collection_method: 'charge_automatically',
          // Without this Stripe would finalize and collect an abandoned draft on its own an hour later.
          auto_advance: false,
          pending_invoice_items_behavior: 'exclude',
          ...(draft.footer ? { footer: draft.footer } : {}),
          metadata: { ...metadata },
        },
        options,
      ),
    );
  }

  private async addLine(request: ChargeRequest, invoiceId: string): Promise<void> {
    const { invoice: draft } = request;
    try {
      await this.translated(request, 'invoice.add_lines', (options) =>
        this.stripe.invoices.addLines(
          invoiceId,
          { lines: [{ pricing: { price: draft.priceId }, quantity: draft.quantity, tax_rates: [draft.taxRateId] }] },
          options,
        ),
      );
    } catch (error) {
      // Stripe refused the line for good: the empty draft is deleted. An outage keeps it, for the retry to resume.
      if (error instanceof DomainError) await this.quietly(request, 'invoice.delete', (options) => this.stripe.invoices.del(invoiceId, {}, options));
      throw error;
    }
  }

  /** Pays the invoice; a resumed charge first checks whether the attempt that died already paid it. */
  private async payOrFindPaid(request: ChargeRequest, invoiceId: string, resumed: boolean): Promise<ChargeResult> {
    if (resumed) {
      const current = await this.retrieveInvoice(request.account, invoiceId);
      const intent = defaultPayment(current)?.payment.payment_intent;
      const waiting = typeof intent === 'object' && intent !== null && ['requires_action', 'processing'].includes(intent.status);
      if (current.status === 'paid' || (current.status === 'open' && waiting)) return chargeResult(current, null);
      if (current.status === 'void') throw new PaymentDeclined(undefined, invoiceId);
    }
    try {
      return chargeResult(await this.pay(request, invoiceId), null);
    } catch (error) {
      if (isRequiresAction(error)) return chargeResult(await this.retrieveInvoice(request.account, invoiceId), null);
      const failure = translateStripeError(error, request.account.mode);
      if (failure instanceof PaymentDeclined || failure instanceof NoPaymentMethod) {
        await this.voidQuietly(request, invoiceId);
        throw failure instanceof PaymentDeclined ? new PaymentDeclined(failure.declineCode, invoiceId) : failure;
      }
      throw failure;
    }
  }

  /** Subscription created with `allow_incomplete` (first invoice charged inside), then its PaymentIntent: 2 requests. */
  async startSubscription(request: ChargeRequest): Promise<ChargeResult> {
    const { resumeFrom } = request;
    let subscription: Stripe.Subscription;
    if (resumeFrom.point === 'started') {
      subscription = await this.createSubscription(request);
      await this.reach(request, 'subscription_created', (subscription.latest_invoice as Stripe.Invoice).id, subscription.id);
    } else {
      subscription = await this.read(request.account, 'subscription.retrieve', () =>
        this.stripe.subscriptions.retrieve(resumeFrom.subscriptionId!, { expand: ['latest_invoice.payments'] }, { apiKey: request.account.secretKey.reveal() }),
      );
    }
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    const intent = await this.intentOf(request.account, invoice);
    if (intent?.status === 'requires_payment_method') {
      await this.quietly(request, 'subscription.cancel', (options) => this.stripe.subscriptions.cancel(subscription.id, {}, options));
      await this.voidQuietly(request, invoice.id);
      const declined = intent.last_payment_error;
      throw declined ? new PaymentDeclined(declined.decline_code ?? declined.code ?? undefined, invoice.id) : new NoPaymentMethod();
    }
    return {
      paymentIntent: intent && paymentIntentView(intent),
      invoice: billedInvoice(invoice),
      subscription: { id: subscription.id, status: subscription.status },
    };
  }

  private createSubscription(request: ChargeRequest): Promise<Stripe.Subscription> {
    const { invoice: draft, metadata } = request;
    return this.translated(request, 'subscription.create', (options) =>
      this.stripe.subscriptions.create(
        {
          customer: draft.customer,
          items: [{ price: draft.priceId, quantity: draft.quantity }],
          default_tax_rates: [draft.taxRateId],
          collection_method: 'charge_automatically',
          payment_behavior: 'allow_incomplete',
          off_session: true,
          ...(draft.footer ? { invoice_settings: { footer: draft.footer } } : {}),
          metadata: { ...metadata },
          // `latest_invoice.payments.data.payment.payment_intent` would be 5 levels; Stripe allows 4.
          expand: ['latest_invoice.payments'],
        },
        options,
      ),
    );
  }

  private async intentOf(account: StripeAccount, invoice: Stripe.Invoice): Promise<Stripe.PaymentIntent | null> {
    const intentId = defaultPayment(invoice)?.payment.payment_intent;
    if (!intentId) return null;
    return this.read(account, 'payment_intent.retrieve', () =>
      this.stripe.paymentIntents.retrieve(String(typeof intentId === 'string' ? intentId : intentId.id), {}, { apiKey: account.secretKey.reveal() }),
    );
  }

  /** Finds an operation's invoice or subscription by the operation id in its metadata (Stripe's search API). */
  async findCharge(account: StripeAccount, mode: InvoiceMode, operationId: OperationId): Promise<FoundCharge | undefined> {
    const query = `metadata['operationId']:'${operationId}'`;
    const apiKey = account.secretKey.reveal();
    if (mode === 'subscription') {
      const found = await this.read(account, 'subscription.search', () => this.stripe.subscriptions.search({ query, limit: 1 }, { apiKey }));
      const match = found.data[0];
      if (!match) return undefined;
      const subscription = await this.read(account, 'subscription.retrieve', () =>
        this.stripe.subscriptions.retrieve(match.id, { expand: ['latest_invoice.payments'] }, { apiKey }),
      );
      const invoice = subscription.latest_invoice as Stripe.Invoice;
      const intent = await this.intentOf(account, invoice);
      const progress = { point: 'subscription_created' as const, invoiceId: invoice.id, subscriptionId: subscription.id };
      const result = { paymentIntent: intent && paymentIntentView(intent), invoice: billedInvoice(invoice), subscription: { id: subscription.id, status: subscription.status } };
      return { progress, result };
    }
    const found = await this.read(account, 'invoice.search', () => this.stripe.invoices.search({ query, limit: 1 }, { apiKey }));
    const match = found.data[0];
    if (!match) return undefined;
    const invoice = await this.retrieveInvoice(account, match.id);
    const charged = invoice.status !== 'draft' && (defaultPayment(invoice) !== undefined || invoice.status === 'paid');
    const point = charged ? 'paid' : invoice.lines.data.length > 0 ? 'lines_added' : 'invoice_created';
    return { progress: { point, invoiceId: invoice.id, subscriptionId: null }, result: charged ? chargeResult(invoice, null) : null };
  }

  /** Voids (or deletes, when a draft) an operation's unpaid invoice and cancels its incomplete subscription. */
  async abandon(account: StripeAccount, progress: ChargeProgress, operationId: OperationId): Promise<void> {
    const request = { account, operationId } as ChargeRequest;
    if (progress.subscriptionId) {
      await this.quietly(request, 'subscription.cancel', (options) => this.stripe.subscriptions.cancel(progress.subscriptionId!, {}, options));
    }
    if (!progress.invoiceId) return;
    const invoice = await this.retrieveInvoice(account, progress.invoiceId);
    if (invoice.status === 'draft') await this.quietly(request, 'invoice.delete', (options) => this.stripe.invoices.del(invoice.id, {}, options));
    else if (invoice.status === 'open') await this.voidQuietly(request, invoice.id);
  }

  private async reach(request: ChargeRequest, point: RecoveryPoint, invoiceId: string, subscriptionId: string | null): Promise<RecoveryPoint> {
    await request.checkpoint({ point, invoiceId, subscriptionId });
    return point;
  }

  private async pay(request: ChargeRequest, invoiceId: string): Promise<Stripe.Invoice> {
    const accountKey = `${request.account.appId}|${request.account.mode}`;
    const pay = (step: StripeStep) =>
      this.write(request, step, (options) => this.stripe.invoices.pay(invoiceId, { expand: [PAYMENT_INTENT] }, options));
    if (!this.finalizeFirst.has(accountKey)) {
      try {
        return await pay('invoice.pay');
      } catch (error) {
        if (!isDraftPayRefusal(error)) throw error;
        this.finalizeFirst.add(accountKey);
      }
    }
    await this.write(request, 'invoice.finalize', (options) =>
      this.stripe.invoices.finalizeInvoice(invoiceId, { auto_advance: false }, options),
    );
    return pay('invoice.pay_after_finalize');
  }

  private async translated<T>(request: ChargeRequest, step: StripeStep, call: (options: Stripe.RequestOptions) => Promise<T>): Promise<T> {
    try {
      return await this.write(request, step, call);
    } catch (error) {
      throw translateStripeError(error, request.account.mode);
    }
  }

  private retrieveInvoice(account: StripeAccount, invoiceId: string): Promise<Stripe.Invoice> {
    return this.read(account, 'invoice.retrieve', () =>
      this.stripe.invoices.retrieve(invoiceId, { expand: [PAYMENT_INTENT] }, { apiKey: account.secretKey.reveal() }),
    );
  }

  private async voidQuietly(request: ChargeRequest, invoiceId: string): Promise<void> {
    await this.quietly(request, 'invoice.void', (options) => this.stripe.invoices.voidInvoice(invoiceId, {}, options));
  }

  /** Cleanup after a failed charge: worth trying, never worth hiding the failure the caller must hear. */
  private async quietly(request: ChargeRequest, step: StripeStep, call: (options: Stripe.RequestOptions) => Promise<unknown>) {
    try {
      await this.write(request, step, call);
    } catch {
      // The invoice has auto_advance off, so an open one left behind is never charged by Stripe on its own.
    }
  }

  /** A POST under the operation's derived idempotency key, with the app's key for the mode, retried within bounds. */
  private write<T>(request: ChargeRequest, step: StripeStep, call: (options: Stripe.RequestOptions) => Promise<T>): Promise<T> {
    const options = {
      apiKey: request.account.secretKey.reveal(),
      idempotencyKey: stripeIdempotencyKey(request.operationId, step),
    };
    return withRetries(step, () => call(options), this.retry, this.observe);
  }

  private async read<T>(account: StripeAccount, step: string, call: () => Promise<T>): Promise<T> {
    try {
      return await withRetries(step, call, this.retry, this.observe);
    } catch (error) {
      throw translateStripeError(error, account.mode);
    }
  }

  private async lookup<S, T>(account: StripeAccount, step: string, call: () => Promise<S>, map: (object: S) => T): Promise<T | undefined> {
    try {
      return map(await withRetries(step, call, this.retry, this.observe));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translateStripeError(error, account.mode);
    }
  }
}

function chargeResult(invoice: Stripe.Invoice, subscription: ChargeResult['subscription']): ChargeResult {
  const intent = defaultPayment(invoice)?.payment.payment_intent;
  return {
    paymentIntent: intent && typeof intent === 'object' ? paymentIntentView(intent) : null,
    invoice: billedInvoice(invoice),
    subscription,
  };
}
