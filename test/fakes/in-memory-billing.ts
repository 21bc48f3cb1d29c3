import {
  stripeIdempotencyKey,
  type BilledInvoice,
  type ChargeProgress,
  type FoundCharge,
  type RecoveryPoint,
  type BillingProvider,
  type ChargeRequest,
  type ChargeResult,
  type PaymentIntentView,
  type StripeAccount,
  type StripeStep,
} from '../../application/billing-provider';
import { UpstreamUnavailable } from '../../application/upstream-unavailable';
import { Forbidden, NoPaymentMethod, PaymentDeclined, PriceNotUsable } from '../../domain/errors';
import type { OperationId, PriceId, TaxRateId } from '../../domain/ids';
import { Price, type PriceProps } from '../../domain/price';
import { TaxPolicy, type TaxPolicyProps } from '../../domain/tax-policy';

export type CardBehaviour = 'succeeds' | 'declines' | 'requires_action';

interface FakeCustomer {
  card: CardBehaviour | null;
  /** Customer credit in the smallest unit; Stripe applies it before charging the card. */
  credit: number;
}

interface AccountState {
  prices: Map<string, PriceProps>;
  taxRates: Map<string, TaxPolicyProps>;
  customers: Map<string, FakeCustomer>;
}

// Stripe's minimum charge per currency (smallest unit); below it the invoice is paid with no PaymentIntent.
const MINIMUM_CHARGE: Record<string, number> = { usd: 50, eur: 50, gbp: 30, jpy: 50, chf: 50 };

/**
 * A billing provider that behaves like Stripe for the flows the use case needs: success, decline (the invoice is
 * voided / the subscription cancelled afterwards), 3-D Secure, and invoices that charge nothing. Each account is
 * its secret key, so live and test objects never mix. Writes are idempotent per derived key, as Stripe's are.
 */
export class InMemoryBilling implements BillingProvider {
  readonly requests: { step: StripeStep; idempotencyKey: string; secretKey: string }[] = [];
  readonly invoices = new Map<string, BilledInvoice & { customer: string; secretKey: string; operationId: string; lined: boolean }>();
  readonly subscriptions = new Map<string, { id: string; status: string; secretKey: string; operationId: string; invoiceId: string }>();
  private readonly intentOfInvoice = new Map<string, PaymentIntentView>();
  private readonly declines = new Set<string>();
  readonly paymentIntents = new Map<string, PaymentIntentView>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly stored = new Map<string, { value?: unknown; error?: unknown }>();
  private readonly outages = new Map<StripeStep, number>();
  private readonly holds = new Map<StripeStep, { reached: () => void; released: Promise<void> }>();
  private counter = 0;

  addPrice(secretKey: string, props: PriceProps): void {
    this.state(secretKey).prices.set(props.id, props);
  }

  addTaxRate(secretKey: string, props: TaxPolicyProps): void {
    this.state(secretKey).taxRates.set(props.id, props);
  }

  addCustomer(secretKey: string, id: string, card: CardBehaviour | null, credit = 0): void {
    this.state(secretKey).customers.set(id, { card, credit });
  }

  /** Forgets every stored answer, as Stripe does with idempotency keys after 24 hours. */
  forgetIdempotencyKeys(): void {
    this.stored.clear();
  }

  /** The next `times` calls of `step` fail as if Stripe could not be reached, before doing anything. */
  failStep(step: StripeStep, times = 1): void {
    this.outages.set(step, times);
  }

  /** Holds the next call of `step` until `release()`: a charge kept in flight. `reached` resolves when it arrives. */
  holdAt(step: StripeStep): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holds.set(step, { reached, released });
    return { reached: reachedPromise, release };
  }

  async findPrice(account: StripeAccount, id: PriceId): Promise<Price | undefined> {
    const props = this.state(account.secretKey.reveal()).prices.get(id);
    return props && Price.create(props);
  }

  async findTaxRate(account: StripeAccount, id: TaxRateId): Promise<TaxPolicy | undefined> {
    const props = this.state(account.secretKey.reveal()).taxRates.get(id);
    return props && TaxPolicy.create(props);
  }

  async chargeOneOff(request: ChargeRequest): Promise<ChargeResult> {
    let { point, invoiceId } = request.resumeFrom;
    if (point === 'started') {
      invoiceId = await this.once(request, 'invoice.create', () => this.createInvoice(request));
      point = await this.reach(request, 'invoice_created', invoiceId, null);
    }
    if (point === 'invoice_created') {
      const id = invoiceId!;
      try {
        await this.once(request, 'invoice.add_lines', () => this.checkPrice(request, 'one_time') && this.markLined(id));
      } catch (error) {
        if (error instanceof PriceNotUsable) this.invoices.delete(id);
        throw error;
      }
      point = await this.reach(request, 'lines_added', id, null);
    }
    if (point === 'lines_added') {
      const charged = await this.once(request, 'invoice.pay', () => this.pay(request, invoiceId!));
      if (charged.failure) {
        await this.once(request, 'invoice.void', () => this.setInvoiceStatus(invoiceId!, 'void'));
        throw charged.failure === 'declined' ? new PaymentDeclined('generic_decline', invoiceId!) : new NoPaymentMethod();
      }
      await this.reach(request, 'paid', invoiceId!, null);
      return charged.result;
    }
    return this.result(invoiceId!, this.intentOfInvoice.get(invoiceId!) ?? null);
  }

  async startSubscription(request: ChargeRequest): Promise<ChargeResult> {
    let charged: { result: ChargeResult; failure?: 'declined' | 'no_payment_method' };
    if (request.resumeFrom.point === 'started') {
      charged = await this.once(request, 'subscription.create', () => {
        this.checkPrice(request, 'recurring');
        const invoiceId = this.createInvoice(request);
        const id = this.nextId('sub');
        const attempt = this.pay(request, invoiceId);
        const subscription = { id, status: attempt.result.invoice.status === 'paid' ? 'active' : 'incomplete' };
        this.subscriptions.set(id, { ...subscription, secretKey: request.account.secretKey.reveal(), operationId: request.operationId, invoiceId });
        return { ...attempt, result: { ...attempt.result, subscription } };
      });
      await this.reach(request, 'subscription_created', charged.result.invoice.id, charged.result.subscription!.id);
    } else {
      charged = this.subscriptionResult(request.resumeFrom.subscriptionId!);
    }
    if (charged.failure) {
      const { subscription, invoice } = charged.result;
      await this.once(request, 'subscription.cancel', () => this.cancel(subscription!.id));
      await this.once(request, 'invoice.void', () => this.setInvoiceStatus(invoice.id, 'void'));
      throw charged.failure === 'declined' ? new PaymentDeclined('generic_decline', invoice.id) : new NoPaymentMethod();
    }
    return charged.result;
  }

  async findCharge(account: StripeAccount, mode: 'payment' | 'subscription', operationId: OperationId): Promise<FoundCharge | undefined> {
    const secretKey = account.secretKey.reveal();
    if (mode === 'subscription') {
      const subscription = [...this.subscriptions.values()].find((entry) => entry.secretKey === secretKey && entry.operationId === operationId);
      if (!subscription) return undefined;
      const progress = { point: 'subscription_created' as const, invoiceId: subscription.invoiceId, subscriptionId: subscription.id };
      return { progress, result: this.subscriptionResult(subscription.id).result };
    }
    const invoice = [...this.invoices.values()].find((entry) => entry.secretKey === secretKey && entry.operationId === operationId);
    if (!invoice) return undefined;
    const point = invoice.status === 'draft' ? (invoice.lined ? 'lines_added' : 'invoice_created') : 'paid';
    const progress = { point, invoiceId: invoice.id, subscriptionId: null } as const;
    return { progress, result: point === 'paid' ? this.result(invoice.id, this.intentOfInvoice.get(invoice.id) ?? null) : null };
  }

  async abandon(_account: StripeAccount, progress: ChargeProgress): Promise<void> {
    if (progress.subscriptionId) this.cancel(progress.subscriptionId);
    const invoice = progress.invoiceId ? this.invoices.get(progress.invoiceId) : undefined;
    if (invoice?.status === 'draft') this.invoices.delete(invoice.id);
    else if (invoice?.status === 'open') invoice.status = 'void';
  }

  /** Records a recovery point through the caller's checkpoint, as the real adapter does after each write. */
  private async reach(request: ChargeRequest, point: RecoveryPoint, invoiceId: string, subscriptionId: string | null): Promise<RecoveryPoint> {
    await request.checkpoint({ point, invoiceId, subscriptionId });
    return point;
  }

  private markLined(invoiceId: string): string {
    this.invoices.get(invoiceId)!.lined = true;
    return invoiceId;
  }

  private subscriptionResult(subscriptionId: string): { result: ChargeResult; failure?: 'declined' | 'no_payment_method' } {
    const subscription = this.subscriptions.get(subscriptionId)!;
    const intent = this.intentOfInvoice.get(subscription.invoiceId) ?? null;
    const result = { ...this.result(subscription.invoiceId, intent), subscription: { id: subscription.id, status: subscription.status } };
    if (intent?.status !== 'requires_payment_method') return { result };
    return { result, failure: this.declines.has(intent.id) ? 'declined' : 'no_payment_method' };
  }

  /** Stripe's own check of the price on the line: it must exist and be of the mode's type. */
  private checkPrice(request: ChargeRequest, type: 'one_time' | 'recurring'): true {
    const price = this.state(request.account.secretKey.reveal()).prices.get(request.invoice.priceId);
    if (!price) throw new PriceNotUsable('not_found', `Stripe refused the price: No such price: '${request.invoice.priceId}'`);
    if (price.type !== type) throw new PriceNotUsable('mode_mismatch', `Stripe refused the price: it is ${price.type}`);
    return true;
  }

  private createInvoice(request: ChargeRequest): string {
    const secretKey = request.account.secretKey.reveal();
    const { invoice } = request;
    if (!this.state(secretKey).customers.has(invoice.customer)) {
      throw new Forbidden('no_customer', `No such customer: ${invoice.customer}`);
    }
    const id = this.nextId('in');
    this.invoices.set(id, {
      id,
      number: null,
      status: 'draft',
      currency: invoice.currency,
      subtotal: invoice.subtotal.amount,
      tax: invoice.tax.amount,
      total: invoice.total.amount,
      amountPaid: 0,
      hostedInvoiceUrl: null,
      invoicePdf: null,
      livemode: invoice.livemode,
      customer: invoice.customer,
      secretKey,
      operationId: request.operationId,
      lined: false,
    });
    return id;
  }

  /** Attempts payment, as Stripe does: a failed attempt leaves the invoice open with its PaymentIntent. */
  private pay(request: ChargeRequest, invoiceId: string): { result: ChargeResult; failure?: 'declined' | 'no_payment_method' } {
    const invoice = this.invoices.get(invoiceId)!;
    const customer = this.state(invoice.secretKey).customers.get(invoice.customer)!;
    Object.assign(invoice, {
      status: 'open',
      number: `FAKE-${invoiceId.slice(-4)}`,
      hostedInvoiceUrl: `https://invoice.stripe.test/${invoiceId}`,
      invoicePdf: `https://invoice.stripe.test/${invoiceId}/pdf`,
    });
    const due = Math.max(0, invoice.total - customer.credit);
    if (due < (MINIMUM_CHARGE[invoice.currency] ?? 50)) {
      Object.assign(invoice, { status: 'paid', amountPaid: due });
      return { result: this.result(invoiceId, null) };
    }
    if (!customer.card) {
      const intent = this.createIntent(request, due, invoice.currency, 'requires_payment_method');
      this.intentOfInvoice.set(invoiceId, intent);
      return { result: this.result(invoiceId, intent), failure: 'no_payment_method' };
    }
    const status = { succeeds: 'succeeded', declines: 'requires_payment_method', requires_action: 'requires_action' }[customer.card];
    const intent = this.createIntent(request, due, invoice.currency, status);
    this.intentOfInvoice.set(invoiceId, intent);
    if (customer.card === 'declines') this.declines.add(intent.id);
    if (status === 'succeeded') Object.assign(invoice, { status: 'paid', amountPaid: due });
    return { result: this.result(invoiceId, intent), ...(customer.card === 'declines' ? { failure: 'declined' as const } : {}) };
  }

  private createIntent(request: ChargeRequest, amount: number, currency: string, status: string): PaymentIntentView {
    const id = this.nextId('pi');
    const object = {
      id,
      object: 'payment_intent',
      amount,
      currency,
      status,
      client_secret: `${id}_secret_fake`,
      customer: request.invoice.customer,
      livemode: request.invoice.livemode,
      metadata: { ...request.metadata },
    };
    const intent = { id, status, amount, currency, clientSecret: object.client_secret, object };
    this.paymentIntents.set(id, intent);
    return intent;
  }

  private result(invoiceId: string, paymentIntent: PaymentIntentView | null): ChargeResult {
    const { customer: _customer, secretKey: _secretKey, operationId: _operationId, lined: _lined, ...invoice } = this.invoices.get(invoiceId)!;
    return { paymentIntent, invoice, subscription: null };
  }

  private setInvoiceStatus(invoiceId: string, status: string): string {
    this.invoices.get(invoiceId)!.status = status;
    return invoiceId;
  }

  private cancel(subscriptionId: string): string {
    this.subscriptions.get(subscriptionId)!.status = 'canceled';
    return subscriptionId;
  }

  /** Runs a write once per (account, derived key); a repeat replays the stored answer, errors included. */
  private async once<T>(request: ChargeRequest, step: StripeStep, work: () => T): Promise<T> {
    const secretKey = request.account.secretKey.reveal();
    const idempotencyKey = stripeIdempotencyKey(request.operationId, step);
    this.requests.push({ step, idempotencyKey, secretKey });
    const hold = this.holds.get(step);
    if (hold) {
      this.holds.delete(step);
      hold.reached();
      await hold.released;
    }
    const outage = this.outages.get(step) ?? 0;
    if (outage > 0) {
      this.outages.set(step, outage - 1);
      throw new UpstreamUnavailable('unreachable', `fake outage at ${step}`);
    }
    const id = `${secretKey}|${idempotencyKey}`;
    if (!this.stored.has(id)) {
      try {
        this.stored.set(id, { value: structuredClone(work()) });
      } catch (error) {
        this.stored.set(id, { error });
      }
    }
    const stored = this.stored.get(id)!;
    if ('error' in stored) throw stored.error;
    return structuredClone(stored.value) as T;
  }

  private state(secretKey: string): AccountState {
    let state = this.accounts.get(secretKey);
    if (!state) {
      state = { prices: new Map(), taxRates: new Map(), customers: new Map() };
      this.accounts.set(secretKey, state);
    }
    return state;
  }

  private nextId(prefix: string): string {
    this.counter += 1;
    return `${prefix}_fake${this.counter.toString().padStart(6, '0')}`;
  }
}
