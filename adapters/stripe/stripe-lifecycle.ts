import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { StripeAccount } from '../../application/billing-provider';
import type { InvoiceLife } from '../../application/lifecycle/invoice-life';
import type { StripeEventFeed, StripeStateReader, StripeWebhookEndpoints } from '../../application/lifecycle/lifecycle-ports';
import type { StripeEvent } from '../../application/lifecycle/stripe-event';
import { Secret } from '../../application/secret';
import { PAYMENT_INTENT, type StripeCalls } from './stripe-calls';
import { stripeEventOf } from './stripe-event-subject';
import { billedInvoice, defaultPayment } from './stripe-views';

/** What the lifecycle reads from Stripe (an invoice's life, a subscription's status, the event list) and its endpoints. */
export class StripeLifecycle implements StripeStateReader, StripeEventFeed, StripeWebhookEndpoints {
  constructor(private readonly calls: StripeCalls) {}

  async invoiceLife(account: StripeAccount, invoiceId: string): Promise<InvoiceLife | undefined> {
    const { stripe } = this.calls;
    const invoice = await this.calls.lookup(account, 'invoice.retrieve', (options) => stripe.invoices.retrieve(invoiceId, { expand: [PAYMENT_INTENT] }, options));
    if (!invoice) return undefined;
    const intent = defaultPayment(invoice)?.payment.payment_intent;
    const paymentIntent = intent && typeof intent === 'object' ? intent : null;
    // Refunds and disputes live on the charge, one level further than Stripe lets an invoice expand.
    const chargeId = paymentIntent?.status === 'succeeded' && paymentIntent.latest_charge ? String(typeof paymentIntent.latest_charge === 'string' ? paymentIntent.latest_charge : paymentIntent.latest_charge.id) : null;
    const charge = chargeId ? await this.calls.lookup(account, 'charge.retrieve', (options) => stripe.charges.retrieve(chargeId, {}, options)) : undefined;
    const billed = billedInvoice(invoice);
    const subscription = invoice.parent?.subscription_details?.subscription;
    return {
      ...billed,
      billingReason: invoice.billing_reason ?? null,
      amountDue: invoice.amount_due,
      subscriptionId: subscription ? (typeof subscription === 'string' ? subscription : subscription.id) : null,
      attempted: invoice.attempted,
      paymentIntent: paymentIntent && { id: paymentIntent.id, status: paymentIntent.status },
      charge: charge ? { amountCaptured: charge.amount_captured, amountRefunded: charge.amount_refunded, disputed: charge.disputed } : null,
    };
  }

  async subscriptionStatus(account: StripeAccount, subscriptionId: string): Promise<string | undefined> {
    const subscription = await this.calls.lookup(account, 'subscription.retrieve', (options) => this.calls.stripe.subscriptions.retrieve(subscriptionId, {}, options));
    return subscription?.status;
  }

  /** Page by page, newest first (the order does not matter: the inbox orders and the store guards). */
  async *since(account: StripeAccount, from: Date, types: readonly string[]): AsyncIterable<StripeEvent> {
    let startingAfter: string | undefined;
    for (;;) {
      const page: Stripe.ApiList<Stripe.Event> = await this.calls.read(account, 'event.list', (options) =>
        this.calls.stripe.events.list(
          { created: { gte: Math.floor(from.getTime() / 1000) }, types: [...types], limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) },
          options,
        ),
      );
      for (const event of page.data) yield stripeEventOf(event, JSON.stringify(event));
      if (!page.has_more || page.data.length === 0) return;
      startingAfter = page.data.at(-1)!.id;
    }
  }

  async create(account: StripeAccount, url: string, events: readonly string[]): Promise<{ id: string; secret: Secret }> {
    const endpoint = await this.calls.writeOnce(account, 'webhook_endpoint.create', `webhook-endpoint:${randomUUID()}`, (options) =>
      this.calls.stripe.webhookEndpoints.create(
        {
          url,
          enabled_events: [...events] as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
          // Events are rendered in the version this code reads, whatever the account's default is.
          api_version: Stripe.API_VERSION as Stripe.WebhookEndpointCreateParams.ApiVersion,
          description: 'tenant-stripe-invoices',
          metadata: { service: 'tenant-stripe-invoices' },
        },
        options,
      ),
    );
    return { id: endpoint.id, secret: new Secret(endpoint.secret!) };
  }

  async remove(account: StripeAccount, endpointId: string): Promise<void> {
    await this.calls.lookup(account, 'webhook_endpoint.delete', (options) => this.calls.stripe.webhookEndpoints.del(endpointId, {}, options));
  }
}
