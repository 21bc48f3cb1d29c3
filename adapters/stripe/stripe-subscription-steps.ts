import type Stripe from 'stripe';
import type { BillingOperation, PaymentAttempt, StripeAccount, SubscriptionState } from '../../application/billing-provider';
import type { Invoice } from '../../domain/invoice';
import type { StripeCalls } from './stripe-calls';
import { defaultPayment, invoiceState } from './stripe-views';

/**
 * A subscription's steps on Stripe: created with `allow_incomplete` (its first invoice is charged inside that call),
 * then its PaymentIntent read apart, since expanding it would be 5 levels deep and Stripe allows 4.
 */
export class StripeSubscriptionSteps {
  constructor(private readonly calls: StripeCalls) {}

  async start(operation: BillingOperation, draft: Invoice, metadata: Readonly<Record<string, string>>): Promise<SubscriptionState> {
    const subscription = await this.calls.translated(operation, 'subscription.create', (options) =>
      this.calls.stripe.subscriptions.create(
        {
          customer: draft.customer,
          items: [{ price: draft.priceId, quantity: draft.quantity }],
          default_tax_rates: [draft.taxRateId],
          collection_method: 'charge_automatically',
          payment_behavior: 'allow_incomplete',
          off_session: true,
          ...(draft.footer ? { invoice_settings: { footer: draft.footer } } : {}),
          metadata: { ...metadata },
          expand: ['latest_invoice.payments'],
        },
        options,
      ),
    );
    return this.stateOf(operation.account, subscription);
  }

  async cancel(operation: BillingOperation, subscriptionId: string): Promise<void> {
    await this.calls.translated(operation, 'subscription.cancel', (options) => this.calls.stripe.subscriptions.cancel(subscriptionId, {}, options));
  }

  async read(account: StripeAccount, subscriptionId: string): Promise<SubscriptionState | undefined> {
    const subscription = await this.calls.lookup(account, 'subscription.retrieve', (options) =>
      this.calls.stripe.subscriptions.retrieve(subscriptionId, { expand: ['latest_invoice.payments'] }, options),
    );
    return subscription && this.stateOf(account, subscription);
  }

  /** The subscription with its first invoice's PaymentIntent, and what that PaymentIntent says of the payment. */
  private async stateOf(account: StripeAccount, subscription: Stripe.Subscription): Promise<SubscriptionState> {
    const latest = subscription.latest_invoice as Stripe.Invoice;
    const intent = await this.intentOf(account, latest);
    const invoice = invoiceState(latest, intent);
    return { subscription: { id: subscription.id, status: subscription.status }, invoice, attempt: attemptOf(intent, invoice) };
  }

  private async intentOf(account: StripeAccount, invoice: Stripe.Invoice): Promise<Stripe.PaymentIntent | null> {
    const intent = defaultPayment(invoice)?.payment.payment_intent;
    if (!intent) return null;
    const id = typeof intent === 'string' ? intent : intent.id;
    return this.calls.read(account, 'payment_intent.retrieve', (options) => this.calls.stripe.paymentIntents.retrieve(id, {}, options));
  }
}

/** A PaymentIntent still asking for a payment method failed: declined when Stripe tried a card, else there was none. */
function attemptOf(intent: Stripe.PaymentIntent | null, invoice: SubscriptionState['invoice']): PaymentAttempt {
  if (intent?.status !== 'requires_payment_method') return { outcome: 'collected', invoice };
  const error = intent.last_payment_error;
  if (!error) return { outcome: 'no_payment_method' };
  return { outcome: 'declined', declineCode: error.decline_code ?? error.code ?? undefined };
}
