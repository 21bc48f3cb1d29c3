import type Stripe from 'stripe';
import type { AccountStore } from './account-store';
import { addLine, finalizeInvoice } from './invoicing';
import { invoiceObject } from './objects/invoice';
import { attemptPayment } from './payments';

const SECONDS_PER: Record<string, number> = { day: 86_400, week: 604_800, month: 2_592_000, year: 31_536_000 };

/** When a period that starts at `start` ends, for a recurring price (a month is 30 days here). */
export function periodEnd(price: Stripe.Price, start: number): number {
  return start + (SECONDS_PER[price.recurring!.interval] ?? SECONDS_PER['month']!) * price.recurring!.interval_count;
}

/** The time an object of this customer lives in: its test clock's frozen time, else the real time. */
export function timeOf(store: AccountStore, customer: Stripe.Customer, now: number): number {
  const clock = customer.test_clock ? store.testClocks.get(String(customer.test_clock)) : undefined;
  return clock?.frozen_time ?? now;
}

/** Stripe finalizes a subscription's renewal invoice about an hour after creating it as a draft. */
export const RENEWAL_DRAFT_SECONDS = 3_600;

/**
 * Moves a test clock to `to`: every subscription of the clock's customers that is still billed renews once per
 * period that ended on the way, with a new draft invoice; a renewal draft an hour old is finalized and charged to
 * the default payment method. A renewal whose payment fails or needs 3-D Secure leaves the invoice open and the
 * subscription `past_due`.
 */
export function advanceClock(store: AccountStore, clock: Stripe.TestHelpers.TestClock, to: number, hostedBaseUrl: string): void {
  const customers = new Set([...store.customers.values()].filter((customer) => customer.test_clock === clock.id).map((customer) => customer.id));
  const subscriptions = [...store.subscriptions.values()].filter((subscription) => customers.has(String(subscription.customer)));
  for (const subscription of subscriptions) {
    while (['active', 'past_due'].includes(subscription.status) && subscription.items.data[0]!.current_period_end <= to) {
      draftRenewal(store, subscription);
    }
  }
  const due = [...store.invoices.values()].filter(
    (invoice) => invoice.status === 'draft' && invoice.billing_reason === 'subscription_cycle' && customers.has(String(invoice.customer)) && invoice.created + RENEWAL_DRAFT_SECONDS <= to,
  );
  for (const invoice of due.sort((a, b) => a.created - b.created)) collectRenewal(store, invoice, hostedBaseUrl);
  Object.assign(store.touch(clock), { frozen_time: to, status: 'ready' });
}

function draftRenewal(store: AccountStore, subscription: Stripe.Subscription): void {
  store.touch(subscription);
  const item = subscription.items.data[0]!;
  const start = item.current_period_end;
  const end = periodEnd(item.price, start);
  const customer = store.customers.get(String(subscription.customer))!;
  const invoice = store.put(
    store.invoices,
    invoiceObject(store.base('in', start, {}), {
      customer, currency: item.price.currency, collectionMethod: subscription.collection_method, autoAdvance: true,
      footer: subscription.invoice_settings.footer ?? null, description: null, billingReason: 'subscription_cycle',
      subscription: subscription.id, subscriptionMetadata: subscription.metadata,
    }),
  );
  const line = { id: subscription.id, item: item.id, periodEnd: end };
  addLine(store, invoice, { price: item.price, quantity: item.quantity ?? 1, taxRates: subscription.default_tax_rates ?? [], metadata: {}, subscription: line }, start);
  Object.assign(item, { current_period_start: start, current_period_end: end });
  subscription.latest_invoice = invoice.id;
}

function collectRenewal(store: AccountStore, invoice: Stripe.Invoice, hostedBaseUrl: string): void {
  const when = invoice.created + RENEWAL_DRAFT_SECONDS;
  finalizeInvoice(store, invoice, when, hostedBaseUrl);
  const subscription = store.subscriptions.get(String(invoice.parent?.subscription_details?.subscription))!;
  const method = subscription.default_payment_method ? String(subscription.default_payment_method) : undefined;
  const attempt = attemptPayment(store, invoice, when, method);
  if (attempt.outcome !== 'paid' && attempt.outcome !== 'nothing_due') store.touch(subscription).status = 'past_due';
}
