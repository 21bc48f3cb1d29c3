import type Stripe from 'stripe';
import { ChangeSet } from './events/change-set';
import type { CardBehaviour } from './objects/customer';
import type { Delivery } from './webhooks/delivery';
import { stripeObjectId } from './object-ids';

/** Objects are kept in their wire form (as JSON would carry them), so that a stored object is what clients see. */
function wire<T>(object: T): T {
  return JSON.parse(JSON.stringify(object)) as T;
}

/** Everything one Stripe account holds in one mode; live and test never see each other's objects. */
export class AccountStore {
  readonly customers: Map<string, Stripe.Customer> = new Map();
  readonly paymentMethods: Map<string, Stripe.PaymentMethod> = new Map();
  readonly cardBehaviour = new Map<string, CardBehaviour>();
  readonly products: Map<string, Stripe.Product> = new Map();
  readonly prices: Map<string, Stripe.Price> = new Map();
  readonly taxRates: Map<string, Stripe.TaxRate> = new Map();
  readonly invoices: Map<string, Stripe.Invoice> = new Map();
  readonly invoiceItems: Map<string, Stripe.InvoiceItem> = new Map();
  readonly invoicePayments: Map<string, Stripe.InvoicePayment> = new Map();
  readonly paymentIntents: Map<string, Stripe.PaymentIntent> = new Map();
  readonly subscriptions: Map<string, Stripe.Subscription> = new Map();
  readonly charges: Map<string, Stripe.Charge> = new Map();
  readonly refunds: Map<string, Stripe.Refund> = new Map();
  readonly disputes: Map<string, Stripe.Dispute> = new Map();
  readonly testClocks: Map<string, Stripe.TestHelpers.TestClock> = new Map();
  readonly events: Map<string, Stripe.Event> = new Map();
  readonly webhookEndpoints: Map<string, Stripe.WebhookEndpoint> = new Map();
  /** An endpoint's signing secret: Stripe shows it once, on creation, and signs every delivery with it. */
  readonly webhookSecrets = new Map<string, string>();
  /** One entry per event and endpoint it is sent to, keyed `<event id>/<endpoint id>`. */
  readonly deliveries = new Map<string, Delivery>();

  private readonly byPrefix: Record<string, Map<string, unknown>> = {
    cus: this.customers,
    pm: this.paymentMethods,
    prod: this.products,
    price: this.prices,
    txr: this.taxRates,
    in: this.invoices,
    ii: this.invoiceItems,
    inpay: this.invoicePayments,
    pi: this.paymentIntents,
    sub: this.subscriptions,
    ch: this.charges,
    re: this.refunds,
    dp: this.disputes,
    clock: this.testClocks,
    evt: this.events,
    we: this.webhookEndpoints,
  };

  // Indexes, so that an account holding many thousands of objects (benchmarks) answers as fast as a new one.
  private readonly paymentsByInvoice = new Map<string, string[]>();
  private readonly pendingByCustomer = new Map<string, Set<string>>();

  private changes: ChangeSet | undefined;

  constructor(readonly livemode: boolean) {}

  /** Starts recording what changes (until `stopTracking`), so that the request's events can be derived. */
  track(): ChangeSet {
    this.changes = new ChangeSet();
    return this.changes;
  }

  stopTracking(): void {
    this.changes = undefined;
  }

  /** Call before changing a stored object in place: remembers how it looked, for its events. */
  touch<T extends { id: string }>(object: T): T {
    this.changes?.touch(object, false);
    return object;
  }

  /** The PaymentIntent of an invoice's latest payment, if it has one. */
  intentOfInvoice(invoiceId: string): Stripe.PaymentIntent | undefined {
    const payment = this.paymentsOf(invoiceId).at(-1);
    return payment ? this.paymentIntents.get(String(payment.payment.payment_intent)) : undefined;
  }

  addPayment(payment: Stripe.InvoicePayment): Stripe.InvoicePayment {
    const stored = this.put(this.invoicePayments, payment);
    const invoice = String(stored.invoice);
    this.paymentsByInvoice.set(invoice, [...(this.paymentsByInvoice.get(invoice) ?? []), stored.id]);
    return stored;
  }

  /** Invoice items on no invoice yet, for a customer. */
  pendingItemsOf(customer: string): Stripe.InvoiceItem[] {
    const ids = [...(this.pendingByCustomer.get(customer) ?? [])];
    return ids.map((id) => this.invoiceItems.get(id)).filter((item): item is Stripe.InvoiceItem => item?.invoice === null);
  }

  markPending(item: Stripe.InvoiceItem, pending: boolean): void {
    const customer = String(item.customer);
    const ids = this.pendingByCustomer.get(customer) ?? new Set<string>();
    if (pending) ids.add(item.id);
    else ids.delete(item.id);
    this.pendingByCustomer.set(customer, ids);
  }

  /** The fields every new object shares: a fresh id, the creation time and the mode. */
  base(prefix: string, now: number, metadata: Record<string, string> = {}) {
    return { id: stripeObjectId(prefix), created: now, livemode: this.livemode, metadata };
  }

  /** Stores an object in wire form and returns the stored copy, which later steps may mutate. */
  put<T extends { id: string }>(collection: Map<string, T>, object: T): T {
    const stored = wire(object);
    const existing = collection.get(stored.id);
    if (existing) this.changes?.touch(existing, false);
    collection.set(stored.id, stored);
    if (!existing) this.changes?.touch(stored, true);
    return stored;
  }

  find(id: string): unknown {
    const prefix = id.slice(0, id.indexOf('_'));
    return this.byPrefix[prefix]?.get(id);
  }

  /** Everything this store holds, as plain JSON (the emulator's persistence). */
  toJSON(): Record<string, [string, unknown][]> {
    const collections = Object.entries(this.byPrefix).map(([prefix, map]) => [prefix, [...map.entries()]] as const);
    return {
      ...Object.fromEntries(collections),
      cards: [...this.cardBehaviour.entries()],
      webhookSecrets: [...this.webhookSecrets.entries()],
      deliveries: [...this.deliveries.entries()],
    };
  }

  static fromJSON(livemode: boolean, saved: Record<string, [string, unknown][]>): AccountStore {
    const store = new AccountStore(livemode);
    for (const [prefix, map] of Object.entries(store.byPrefix)) for (const [id, object] of saved[prefix] ?? []) map.set(id, object);
    for (const [id, behaviour] of saved['cards'] ?? []) store.cardBehaviour.set(id, behaviour as CardBehaviour);
    for (const [id, secret] of saved['webhookSecrets'] ?? []) store.webhookSecrets.set(id, secret as string);
    for (const [id, delivery] of saved['deliveries'] ?? []) store.deliveries.set(id, delivery as Delivery);
    for (const payment of [...store.invoicePayments.values()]) store.addPayment(payment);
    for (const item of store.invoiceItems.values()) if (item.invoice === null) store.markPending(item, true);
    return store;
  }

  paymentsOf(invoiceId: string): Stripe.InvoicePayment[] {
    const ids = this.paymentsByInvoice.get(invoiceId) ?? [];
    return ids.map((id) => this.invoicePayments.get(id)).filter((payment): payment is Stripe.InvoicePayment => payment !== undefined);
  }
}
