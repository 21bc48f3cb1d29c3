import type { InvoiceState, StripeAccount, SubscriptionState } from '../../application/billing-provider';
import type { OperationId } from '../../domain/ids';
import type { StripeCalls } from './stripe-calls';
import type { StripeInvoiceSteps } from './stripe-invoice-steps';
import type { StripeSubscriptionSteps } from './stripe-subscription-steps';

/** Finds an operation's objects by the operation id in their metadata, with Stripe's search API. */
export class StripeOperationSearch {
  constructor(
    private readonly calls: StripeCalls,
    private readonly invoices: StripeInvoiceSteps,
    private readonly subscriptions: StripeSubscriptionSteps,
  ) {}

  async invoiceOf(account: StripeAccount, operationId: OperationId): Promise<InvoiceState | undefined> {
    const found = await this.calls.read(account, 'invoice.search', (options) =>
      this.calls.stripe.invoices.search({ query: queryFor(operationId), limit: 1 }, options),
    );
    return found.data[0] && this.invoices.read(account, found.data[0].id);
  }

  async subscriptionOf(account: StripeAccount, operationId: OperationId): Promise<SubscriptionState | undefined> {
    const found = await this.calls.read(account, 'subscription.search', (options) =>
      this.calls.stripe.subscriptions.search({ query: queryFor(operationId), limit: 1 }, options),
    );
    return found.data[0] && this.subscriptions.read(account, found.data[0].id);
  }
}

function queryFor(operationId: OperationId): string {
  return `metadata['operationId']:'${operationId}'`;
}
