import { inject, injectable } from 'inversify';
import type { InvoiceId } from '../../domain/ids';
import type { StripeAccount } from '../billing-provider';
import { InvoiceNotRecordedYet, StripeAccountMissing } from '../errors';
import { Clock, StripeAccounts } from '../ports';
import { subscriptionStatusOf } from '../invoice-record';
import { recordFromLife } from './invoice-life';
import { InvoiceLifecycleStore, StripeStateReader } from './lifecycle-ports';
import type { EventOutcome, InboxEvent } from './stripe-event';

/** How long an event about an invoice of one of this service's charges waits for the charge to record it. */
const NOT_RECORDED_WAIT_MS = 15 * 60_000;

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
    if (invoiceId) applied = await this.refreshInvoice(account, event, invoiceId);
    else if (paymentIntentId) {
      const paid = await this.store.byPaymentIntent(account.appId, paymentIntentId);
      if (paid) applied = await this.refreshInvoice(account, event, paid.id);
    }
    if (subscriptionId && !invoiceId) applied = (await this.refreshSubscription(account, subscriptionId)) || applied;
    return applied ? 'applied' : 'ignored';
  }

  private async refreshInvoice(account: StripeAccount, event: InboxEvent, invoiceId: string): Promise<boolean> {
    const { subscriptionId, operationId } = event.subject;
    const known = await this.store.byId(account.appId, invoiceId as InvoiceId);
    const origin = known ?? (subscriptionId ? await this.store.firstOfSubscription(account.appId, subscriptionId) : undefined);
    if (!origin) {
      // A charge of this service made the invoice and has not recorded it yet: apply the event once it has.
      const young = this.clock.now().getTime() - event.created.getTime() < NOT_RECORDED_WAIT_MS;
      if (operationId && young) throw new InvoiceNotRecordedYet(invoiceId);
      return false;
    }
    const readAt = this.clock.now();
    const life = await this.stripe.invoiceLife(account, invoiceId);
    // A renewal is kept once Stripe finalizes it; a draft may still change or be deleted.
    if (!life || (!known && (life.status === 'draft' || life.subscriptionId !== origin.subscriptionId))) return false;
    await this.store.write(recordFromLife(origin, life, readAt));
    if (life.subscriptionId && (!known || known.subscriptionStatus === null)) await this.refreshSubscription(account, life.subscriptionId);
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
