import type Stripe from 'stripe';
import type { ChargeProgress, FoundCharge, StripeAccount } from '../../application/billing-provider';
import type { OperationId } from '../../domain/ids';
import type { InvoiceMode } from '../../domain/modes';
import { chargeResult, type StripeCalls } from './stripe-calls';
import type { StripeSubscriptionCharge } from './stripe-subscription-charge';
import { defaultPayment } from './stripe-views';

/** Finding an operation's objects by the operation id in their metadata (Stripe's search API), and abandoning them. */
export class StripeChargeLookup {
  constructor(
    private readonly calls: StripeCalls,
    private readonly subscriptions: StripeSubscriptionCharge,
  ) {}

  async find(account: StripeAccount, mode: InvoiceMode, operationId: OperationId): Promise<FoundCharge | undefined> {
    const query = `metadata['operationId']:'${operationId}'`;
    const { stripe } = this.calls;
    if (mode === 'subscription') {
      const found = await this.calls.read(account, 'subscription.search', (options) => stripe.subscriptions.search({ query, limit: 1 }, options));
      if (!found.data[0]) return undefined;
      const subscription = await this.subscriptions.retrieve(account, found.data[0].id);
      const result = this.subscriptions.result(subscription, await this.subscriptions.intentOf(account, subscription.latest_invoice as Stripe.Invoice));
      return { progress: { point: 'subscription_created', invoiceId: result.invoice.id, subscriptionId: subscription.id }, result };
    }
    const found = await this.calls.read(account, 'invoice.search', (options) => stripe.invoices.search({ query, limit: 1 }, options));
    if (!found.data[0]) return undefined;
    const invoice = await this.calls.retrieveInvoice(account, found.data[0].id);
    const charged = invoice.status !== 'draft' && (defaultPayment(invoice) !== undefined || invoice.status === 'paid');
    const point = charged ? 'paid' : invoice.lines.data.length > 0 ? 'lines_added' : 'invoice_created';
    return { progress: { point, invoiceId: invoice.id, subscriptionId: null }, result: charged ? chargeResult(invoice, null) : null };
  }

  /** Cancels the operation's incomplete subscription and voids (or deletes, when a draft) its unpaid invoice. */
  async abandon(account: StripeAccount, progress: ChargeProgress, operationId: OperationId): Promise<void> {
    const operation = { account, operationId };
    const { stripe } = this.calls;
    if (progress.subscriptionId) {
      await this.calls.quietly(operation, 'subscription.cancel', (options) => stripe.subscriptions.cancel(progress.subscriptionId!, {}, options));
    }
    if (!progress.invoiceId) return;
    const invoice = await this.calls.retrieveInvoice(account, progress.invoiceId);
    if (invoice.status === 'draft') await this.calls.quietly(operation, 'invoice.delete', (options) => stripe.invoices.del(invoice.id, {}, options));
    else if (invoice.status === 'open') await this.calls.voidQuietly(operation, invoice.id);
  }
}
