import { inject, injectable } from 'inversify';
import type { AppId, InvoiceId } from '../../domain/ids';
import type { StripeAccount } from '../billing-provider';
import { Clock, StripeAccounts } from '../ports';
import { subscriptionStatusOf } from '../invoice-record';
import { recordFromLife } from './invoice-life';
import { InvoiceLifecycleStore, StripeStateReader } from './lifecycle-ports';
import type { EventOutcome, InboxEvent } from './stripe-event';

/** The app has no Stripe key for the event's mode (any more): the event waits until an operator sets one. */
export class StripeAccountMissing extends Error {
  constructor(appId: AppId, mode: string) {
    super(`App ${appId} has no Stripe ${mode} key to read the event's objects with.`);
    this.name = 'StripeAccountMissing';
  }
}

/**
 * Brings the store up to date with what one event is about. The event only names the objects: their state is read
 * afresh from Stripe, and a reading is written only over an older one, so a late, repeated or reordered event can
 * never move an invoice backwards. A renewal of a subscription the service started becomes an invoice of its own;
 * an event about anything the service did not create is ignored.
 */
@injectable()
export class ApplyStripeEvent {
  constructor(
    @inject(StripeAccounts) private readonly accounts: StripeAccounts,
    @inject(StripeStateReader) private readonly stripe: StripeStateReader,
    @inject(InvoiceLifecycleStore) private readonly store: InvoiceLifecycleStore,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(event: InboxEvent): Promise<EventOutcome> {
    const { invoiceId, paymentIntentId, subscriptionId } = event.subject;
    const account = await this.accounts.find(event.appId, event.mode);
    if (!account) throw new StripeAccountMissing(event.appId, event.mode);
    let applied = false;
    if (invoiceId) applied = await this.refreshInvoice(account, invoiceId, subscriptionId);
    else if (paymentIntentId) {
      const paid = await this.store.byPaymentIntent(account.appId, paymentIntentId);
      if (paid) applied = await this.refreshInvoice(account, paid.id, null);
    }
    if (subscriptionId && !invoiceId) applied = (await this.refreshSubscription(account, subscriptionId)) || applied;
    return applied ? 'applied' : 'ignored';
  }

  private async refreshInvoice(account: StripeAccount, invoiceId: string, subscriptionId: string | null): Promise<boolean> {
    const known = await this.store.byId(account.appId, invoiceId as InvoiceId);
    const origin = known ?? (subscriptionId ? await this.store.firstOfSubscription(account.appId, subscriptionId) : undefined);
    if (!origin) return false;
    const readAt = this.clock.now();
    const life = await this.stripe.invoiceLife(account, invoiceId);
    // A renewal is kept once Stripe finalizes it; a draft may still change or be deleted.
    if (!life || (!known && (life.status === 'draft' || life.subscriptionId !== origin.subscriptionId))) return false;
    await this.store.write(recordFromLife(origin, life, readAt));
    if (!known && life.subscriptionId) await this.refreshSubscription(account, life.subscriptionId);
    return true;
  }

  private async refreshSubscription(account: StripeAccount, subscriptionId: string): Promise<boolean> {
    if (!(await this.store.firstOfSubscription(account.appId, subscriptionId))) return false;
    const readAt = this.clock.now();
    const raw = await this.stripe.subscriptionStatus(account, subscriptionId);
    const status = raw === undefined ? undefined : subscriptionStatusOf(raw);
    if (!status) return false;
    await this.store.setSubscriptionStatus(account.appId, subscriptionId, status, readAt);
    return true;
  }
}
