import type Stripe from 'stripe';
import type { CardBehaviour } from './objects/customer';
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
  };

  // Indexes, so that an account holding many thousands of objects (benchmarks) answers as fast as a new one.
  private readonly paymentsByInvoice = new Map<string, string[]>();
  private readonly pendingByCustomer = new Map<string, Set<string>>();

  constructor(readonly livemode: boolean) {}

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
    collection.set(stored.id, stored);
    return stored;
  }

  find(id: string): unknown {
    const prefix = id.slice(0, id.indexOf('_'));
    return this.byPrefix[prefix]?.get(id);
  }

  /** Everything this store holds, as plain JSON (the emulator's persistence). */
  toJSON(): Record<string, [string, unknown][]> {
    const collections = Object.entries(this.byPrefix).map(([prefix, map]) => [prefix, [...map.entries()]] as const);
    return { ...Object.fromEntries(collections), cards: [...this.cardBehaviour.entries()] };
  }

  static fromJSON(livemode: boolean, saved: Record<string, [string, unknown][]>): AccountStore {
    const store = new AccountStore(livemode);
    for (const [prefix, map] of Object.entries(store.byPrefix)) for (const [id, object] of saved[prefix] ?? []) map.set(id, object);
    for (const [id, behaviour] of saved['cards'] ?? []) store.cardBehaviour.set(id, behaviour as CardBehaviour);
    for (const payment of [...store.invoicePayments.values()]) store.addPayment(payment);
    for (const item of store.invoiceItems.values()) if (item.invoice === null) store.markPending(item, true);
    return store;
  }

  paymentsOf(invoiceId: string): Stripe.InvoicePayment[] {
    const ids = this.paymentsByInvoice.get(invoiceId) ?? [];
    return ids.map((id) => this.invoicePayments.get(id)).filter((payment): payment is Stripe.InvoicePayment => payment !== undefined);
  }
}
