import type {
  BillingOperation,
  BillingProvider,
  InvoiceState,
  PaymentAttempt,
  PaymentIntentView,
  StripeAccount,
  SubscriptionState,
} from '../../application/billing-provider';
import { BillingRequestRejected, UpstreamUnavailable } from '../../application/errors';
import { Forbidden, PriceNotUsable } from '../../domain/errors';
import type { OperationId, PriceId, TaxRateId } from '../../domain/ids';
import type { Invoice } from '../../domain/invoice';
import { Price, type PriceProps } from '../../domain/price';
import { TaxPolicy, type TaxPolicyProps } from '../../domain/tax-policy';

export type CardBehaviour = 'succeeds' | 'declines' | 'requires_action';
/** The fake's write steps: each is answered once per operation, as Stripe answers each idempotency key once. */
export type FakeStep =
  | 'invoice.create'
  | 'invoice.add_lines'
  | 'invoice.pay'
  | 'invoice.void'
  | 'invoice.delete'
  | 'subscription.create'
  | 'subscription.cancel';

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

export interface FakeInvoice {
  id: string;
  number: string | null;
  status: 'draft' | 'open' | 'paid' | 'void';
  currency: string;
  subtotal: number;
  tax: number;
  total: number;
  amountPaid: number;
  livemode: boolean;
  customer: string;
  secretKey: string;
  operationId: string;
  lineCount: number;
  intentId: string | null;
  declineCode: string | null;
}

// Stripe's minimum charge per currency (smallest unit); below it the invoice is paid with no PaymentIntent.
const MINIMUM_CHARGE: Record<string, number> = { usd: 50, eur: 50, gbp: 30, jpy: 50, chf: 50 };

/**
 * A billing provider that keeps Stripe's state in memory and answers each step as Stripe would: success, decline
 * (the invoice stays open with a PaymentIntent that needs a payment method), 3-D Secure, invoices that charge nothing.
 * Each account is its secret key, so live and test objects never mix. It holds no recovery logic: which step comes
 * next, and what a failure undoes, is ChargeInvoice's.
 */
export class InMemoryBilling implements BillingProvider {
  readonly requests: { step: FakeStep; idempotencyKey: string; secretKey: string }[] = [];
  readonly invoices = new Map<string, FakeInvoice>();
  readonly subscriptions = new Map<string, { id: string; status: string; secretKey: string; operationId: string; invoiceId: string }>();
  readonly paymentIntents = new Map<string, PaymentIntentView>();
  private readonly accounts = new Map<string, AccountState>();
  private readonly stored = new Map<string, { value?: unknown; error?: unknown }>();
  private readonly outages = new Map<FakeStep, number>();
  private readonly refusals = new Map<FakeStep, { afterWork: boolean }>();
  private readonly holds = new Map<FakeStep, { reached: () => void; released: Promise<void> }>();
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
  failStep(step: FakeStep, times = 1): void {
    this.outages.set(step, times);
  }

  /**
   * The next call of `step` is refused for good (BillingRequestRejected), as Stripe refuses a request that no retry
   * changes; `afterWork` refuses it after doing the work, as when the answer cannot be read.
   */
  refuseStep(step: FakeStep, options: { afterWork?: boolean } = {}): void {
    this.refusals.set(step, { afterWork: options.afterWork ?? false });
  }

  /** Holds the next call of `step` until `release()`: a charge kept in flight. `reached` resolves when it arrives. */
  holdAt(step: FakeStep): { reached: Promise<void>; release: () => void } {
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

  createDraftInvoice(operation: BillingOperation, invoice: Invoice): Promise<string> {
    return this.once(operation, 'invoice.create', () => this.createInvoice(operation, invoice).id);
  }

  async addInvoiceLine(operation: BillingOperation, invoiceId: string, invoice: Invoice): Promise<void> {
    await this.once(operation, 'invoice.add_lines', () => {
      this.checkPrice(operation.account, invoice.priceId, 'one_time');
      this.invoice(operation.account, invoiceId).lineCount += 1;
    });
  }

  payInvoice(operation: BillingOperation, invoiceId: string): Promise<PaymentAttempt> {
    return this.once(operation, 'invoice.pay', () => this.collect(this.invoice(operation.account, invoiceId), operation));
  }

  async voidInvoice(operation: BillingOperation, invoiceId: string): Promise<void> {
    await this.once(operation, 'invoice.void', () => {
      const invoice = this.invoice(operation.account, invoiceId);
      if (invoice.status !== 'open') throw new Error(`You can only void open invoices; this one is ${invoice.status}.`);
      invoice.status = 'void';
    });
  }

  async deleteDraftInvoice(operation: BillingOperation, invoiceId: string): Promise<void> {
    await this.once(operation, 'invoice.delete', () => {
      if (this.invoice(operation.account, invoiceId).status !== 'draft') throw new Error('Only drafts can be deleted.');
      this.invoices.delete(invoiceId);
    });
  }

  startSubscription(operation: BillingOperation, draft: Invoice): Promise<SubscriptionState> {
    return this.once(operation, 'subscription.create', () => {
      this.checkPrice(operation.account, draft.priceId, 'recurring');
      const invoice = this.createInvoice(operation, draft);
      invoice.lineCount = 1;
      const attempt = this.collect(invoice, operation);
      const id = this.nextId('sub');
      const status = invoice.status === 'paid' ? 'active' : 'incomplete';
      this.subscriptions.set(id, { id, status, secretKey: operation.account.secretKey.reveal(), operationId: operation.operationId, invoiceId: invoice.id });
      return { subscription: { id, status }, invoice: this.stateOf(invoice), attempt };
    });
  }

  async cancelSubscription(operation: BillingOperation, subscriptionId: string): Promise<void> {
    await this.once(operation, 'subscription.cancel', () => {
      const subscription = this.subscriptions.get(subscriptionId);
      if (!subscription || subscription.secretKey !== operation.account.secretKey.reveal()) throw new Error(`No such subscription: ${subscriptionId}`);
      subscription.status = 'canceled';
    });
  }

  async readInvoice(account: StripeAccount, invoiceId: string): Promise<InvoiceState | undefined> {
    const invoice = this.invoices.get(invoiceId);
    return invoice?.secretKey === account.secretKey.reveal() ? this.stateOf(invoice) : undefined;
  }

  async readSubscription(account: StripeAccount, subscriptionId: string): Promise<SubscriptionState | undefined> {
    const subscription = this.subscriptions.get(subscriptionId);
    if (subscription?.secretKey !== account.secretKey.reveal()) return undefined;
    const invoice = this.invoices.get(subscription.invoiceId)!;
    return { subscription: { id: subscription.id, status: subscription.status }, invoice: this.stateOf(invoice), attempt: this.attemptOf(invoice) };
  }

  async findInvoiceOf(account: StripeAccount, operationId: OperationId): Promise<InvoiceState | undefined> {
    const found = [...this.invoices.values()].find((invoice) => invoice.operationId === operationId && invoice.secretKey === account.secretKey.reveal());
    return found && this.stateOf(found);
  }

  async findSubscriptionOf(account: StripeAccount, operationId: OperationId): Promise<SubscriptionState | undefined> {
    const secretKey = account.secretKey.reveal();
    const found = [...this.subscriptions.values()].find((subscription) => subscription.operationId === operationId && subscription.secretKey === secretKey);
    return found && this.readSubscription(account, found.id);
  }

  private createInvoice(operation: BillingOperation, draft: Invoice): FakeInvoice {
    const secretKey = operation.account.secretKey.reveal();
    if (!this.state(secretKey).customers.has(draft.customer)) throw new Forbidden('no_customer', `No such customer: ${draft.customer}`);
    const invoice: FakeInvoice = {
      id: this.nextId('in'),
      number: null,
      status: 'draft',
      currency: draft.currency,
      subtotal: draft.subtotal.amount,
      tax: draft.tax.amount,
      total: draft.total.amount,
      amountPaid: 0,
      livemode: draft.livemode,
      customer: draft.customer,
      secretKey,
      operationId: operation.operationId,
      lineCount: 0,
      intentId: null,
      declineCode: null,
    };
    this.invoices.set(invoice.id, invoice);
    return invoice;
  }

  /** Finalizes the invoice and attempts payment, as Stripe does: a failed attempt leaves it open with its PaymentIntent. */
  private collect(invoice: FakeInvoice, operation: BillingOperation): PaymentAttempt {
    if (invoice.status !== 'draft' && invoice.status !== 'open') throw new Error(`Invoice ${invoice.id} is already ${invoice.status}.`);
    const customer = this.state(invoice.secretKey).customers.get(invoice.customer)!;
    Object.assign(invoice, { status: 'open', number: `FAKE-${invoice.id.slice(-4)}` });
    const due = Math.max(0, invoice.total - customer.credit);
    if (due < (MINIMUM_CHARGE[invoice.currency] ?? 50)) {
      Object.assign(invoice, { status: 'paid', amountPaid: due });
      return this.attemptOf(invoice);
    }
    const status = customer.card ? { succeeds: 'succeeded', declines: 'requires_payment_method', requires_action: 'requires_action' }[customer.card] : 'requires_payment_method';
    invoice.intentId = this.createIntent(invoice, operation, due, status).id;
    if (customer.card === 'declines') invoice.declineCode = 'generic_decline';
    if (status === 'succeeded') Object.assign(invoice, { status: 'paid', amountPaid: due });
    return this.attemptOf(invoice);
  }

  private attemptOf(invoice: FakeInvoice): PaymentAttempt {
    const intent = invoice.intentId ? this.paymentIntents.get(invoice.intentId) : undefined;
    if (intent?.status !== 'requires_payment_method') return { outcome: 'collected', invoice: this.stateOf(invoice) };
    return invoice.declineCode ? { outcome: 'declined', declineCode: invoice.declineCode } : { outcome: 'no_payment_method' };
  }

  private createIntent(invoice: FakeInvoice, operation: BillingOperation, amount: number, status: string): PaymentIntentView {
    const id = this.nextId('pi');
    const object = {
      id,
      object: 'payment_intent',
      amount,
      currency: invoice.currency,
      status,
      client_secret: `${id}_secret_fake`,
      customer: invoice.customer,
      livemode: invoice.livemode,
      metadata: { operationId: operation.operationId },
    };
    const intent = { id, status, amount, currency: invoice.currency, clientSecret: object.client_secret, object };
    this.paymentIntents.set(id, intent);
    return intent;
  }

  private stateOf(invoice: FakeInvoice): InvoiceState {
    const hosted = invoice.status === 'draft' ? null : `https://invoice.stripe.test/${invoice.id}`;
    return {
      invoice: {
        id: invoice.id,
        number: invoice.number,
        status: invoice.status,
        currency: invoice.currency,
        subtotal: invoice.subtotal,
        tax: invoice.tax,
        total: invoice.total,
        amountPaid: invoice.amountPaid,
        hostedInvoiceUrl: hosted,
        invoicePdf: hosted && `${hosted}/pdf`,
        livemode: invoice.livemode,
      },
      lineCount: invoice.lineCount,
      paymentIntent: (invoice.intentId && this.paymentIntents.get(invoice.intentId)) || null,
    };
  }

  /** Stripe's own check of the price on the line: it must exist and be of the mode's type. */
  private checkPrice(account: StripeAccount, priceId: PriceId, type: 'one_time' | 'recurring'): void {
    const price = this.state(account.secretKey.reveal()).prices.get(priceId);
    if (!price) throw new PriceNotUsable('not_found', `Stripe refused the price: No such price: '${priceId}'`);
    if (price.type !== type) throw new PriceNotUsable('mode_mismatch', `Stripe refused the price: it is ${price.type}`);
  }

  private invoice(account: StripeAccount, invoiceId: string): FakeInvoice {
    const invoice = this.invoices.get(invoiceId);
    if (!invoice || invoice.secretKey !== account.secretKey.reveal()) throw new Error(`No such invoice: ${invoiceId}`);
    return invoice;
  }

  /** Runs a write once per (account, operation, step); a repeat replays the stored answer, errors included. */
  private async once<T>(operation: BillingOperation, step: FakeStep, work: () => T): Promise<T> {
    const secretKey = operation.account.secretKey.reveal();
    const start = operation.restarts === 0 ? '' : `restart-${operation.restarts}:`;
    const idempotencyKey = `${operation.operationId}:${start}${step}`;
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
    const refusal = this.refusals.get(step);
    this.refusals.delete(step);
    if (refusal) {
      if (refusal.afterWork && !this.stored.has(id)) this.stored.set(id, { value: structuredClone(work()) });
      throw new BillingRequestRejected(`fake refusal at ${step}`);
    }
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
