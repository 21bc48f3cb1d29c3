import type { AccountStore } from './account-store';

export interface ModeStats {
  customers: number;
  invoices: number;
  draftInvoices: number;
  openInvoices: number;
  paidInvoices: number;
  voidInvoices: number;
  paymentIntents: number;
  /** PaymentIntents that succeeded: money actually moved. */
  charges: number;
  subscriptions: number;
  activeSubscriptions: number;
  incompleteSubscriptions: number;
  canceledSubscriptions: number;
  /** Requests answered 429 by the rate limiter in this mode (all accounts), since the start or the last reset. */
  rateLimited: number;
  /** The same, per account (only accounts that were limited). */
  rateLimitedByAccount: Record<string, number>;
}

/** Counts of what the given accounts hold, for `/_emulator/stats` and tests. */
export function statsOf(stores: AccountStore[], limited: { total: number; byAccount: Record<string, number> } = { total: 0, byAccount: {} }): ModeStats {
  const all = <T>(pick: (store: AccountStore) => Map<string, T>) => stores.flatMap((store) => [...pick(store).values()]);
  const invoices = all((store) => store.invoices);
  const intents = all((store) => store.paymentIntents);
  const subscriptions = all((store) => store.subscriptions);
  const invoicesIn = (status: string) => invoices.filter((invoice) => invoice.status === status).length;
  const subscriptionsIn = (status: string) => subscriptions.filter((subscription) => subscription.status === status).length;
  return {
    customers: all((store) => store.customers).length,
    invoices: invoices.length,
    draftInvoices: invoicesIn('draft'),
    openInvoices: invoicesIn('open'),
    paidInvoices: invoicesIn('paid'),
    voidInvoices: invoicesIn('void'),
    paymentIntents: intents.length,
    charges: intents.filter((intent) => intent.status === 'succeeded').length,
    subscriptions: subscriptions.length,
    activeSubscriptions: subscriptionsIn('active'),
    incompleteSubscriptions: subscriptionsIn('incomplete'),
    canceledSubscriptions: subscriptionsIn('canceled'),
    rateLimited: limited.total,
    rateLimitedByAccount: limited.byAccount,
  };
}
