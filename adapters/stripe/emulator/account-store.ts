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

  constructor(readonly livemode: boolean) {}

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
    return store;
  }

  paymentsOf(invoiceId: string): Stripe.InvoicePayment[] {
    return [...this.invoicePayments.values()].filter((payment) => payment.invoice === invoiceId);
  }
}
