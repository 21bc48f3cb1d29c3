import { randomBytes } from 'node:crypto';
import type { StripeAccount } from '../../application/billing-provider';
import type { InvoiceLife } from '../../application/lifecycle/invoice-life';
import type { StripeEventFeed, StripeStateReader, StripeWebhookEndpoints } from '../../application/lifecycle/lifecycle-ports';
import type { StripeEvent } from '../../application/lifecycle/stripe-event';
import { Secret } from '../../application/secret';

/**
 * Stripe as the lifecycle sees it, held in memory: the current state of invoices and subscriptions (which a test
 * sets, as time and customers would change them), the account's event list, and the webhook endpoints made.
 */
export class FakeStripeLifecycle implements StripeStateReader, StripeEventFeed, StripeWebhookEndpoints {
  readonly invoices = new Map<string, InvoiceLife>();
  readonly subscriptions = new Map<string, string>();
  readonly events: StripeEvent[] = [];
  readonly endpoints = new Map<string, { url: string; events: readonly string[] }>();
  /** Every read, in order, for tests that check what was read. */
  readonly reads: string[] = [];

  async invoiceLife(_account: StripeAccount, invoiceId: string): Promise<InvoiceLife | undefined> {
    this.reads.push(invoiceId);
    const life = this.invoices.get(invoiceId);
    return life && structuredClone(life);
  }

  async subscriptionStatus(_account: StripeAccount, subscriptionId: string): Promise<string | undefined> {
    this.reads.push(subscriptionId);
    return this.subscriptions.get(subscriptionId);
  }

  async *since(_account: StripeAccount, from: Date, types: readonly string[]): AsyncIterable<StripeEvent> {
    for (const event of this.events) if (event.created >= from && types.includes(event.type)) yield event;
  }

  async create(_account: StripeAccount, url: string, events: readonly string[]): Promise<{ id: string; secret: Secret }> {
    const id = `we_${randomBytes(8).toString('hex')}`;
    this.endpoints.set(id, { url, events });
    return { id, secret: new Secret(`whsec_${randomBytes(16).toString('hex')}`) };
  }

  async remove(_account: StripeAccount, endpointId: string): Promise<void> {
    this.endpoints.delete(endpointId);
  }
}
