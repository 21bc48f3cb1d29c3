import type Stripe from 'stripe';
import type { ChargeRequest, ChargeResult, StripeAccount } from '../../application/billing-provider';
import { NoPaymentMethod, PaymentDeclined } from '../../domain/errors';
import type { StripeCalls } from './stripe-calls';
import { billedInvoice, defaultPayment, paymentIntentView } from './stripe-views';

/** A subscription created with `allow_incomplete` (first invoice charged inside), then its PaymentIntent: 2 requests. */
export class StripeSubscriptionCharge {
  constructor(private readonly calls: StripeCalls) {}

  async start(request: ChargeRequest): Promise<ChargeResult> {
    const { resumeFrom } = request;
    let subscription: Stripe.Subscription;
    if (resumeFrom.point === 'started') {
      subscription = await this.create(request);
      await request.checkpoint({ point: 'subscription_created', invoiceId: (subscription.latest_invoice as Stripe.Invoice).id, subscriptionId: subscription.id });
    } else {
      subscription = await this.retrieve(request.account, resumeFrom.subscriptionId!);
    }
    const invoice = subscription.latest_invoice as Stripe.Invoice;
    const intent = await this.intentOf(request.account, invoice);
    if (intent?.status === 'requires_payment_method') {
      await this.calls.quietly(request, 'subscription.cancel', (options) => this.calls.stripe.subscriptions.cancel(subscription.id, {}, options));
      await this.calls.voidQuietly(request, invoice.id);
      const declined = intent.last_payment_error;
      throw declined ? new PaymentDeclined(declined.decline_code ?? declined.code ?? undefined, invoice.id) : new NoPaymentMethod();
    }
    return this.result(subscription, intent);
  }

  retrieve(account: StripeAccount, subscriptionId: string): Promise<Stripe.Subscription> {
    return this.calls.read(account, 'subscription.retrieve', (options) =>
      this.calls.stripe.subscriptions.retrieve(subscriptionId, { expand: ['latest_invoice.payments'] }, options),
    );
  }

  async intentOf(account: StripeAccount, invoice: Stripe.Invoice): Promise<Stripe.PaymentIntent | null> {
    const intentId = defaultPayment(invoice)?.payment.payment_intent;
    if (!intentId) return null;
    const id = typeof intentId === 'string' ? intentId : intentId.id;
    return this.calls.read(account, 'payment_intent.retrieve', (options) => this.calls.stripe.paymentIntents.retrieve(id, {}, options));
  }

  result(subscription: Stripe.Subscription, intent: Stripe.PaymentIntent | null): ChargeResult {
    return {
      paymentIntent: intent && paymentIntentView(intent),
      invoice: billedInvoice(subscription.latest_invoice as Stripe.Invoice),
      subscription: { id: subscription.id, status: subscription.status },
    };
  }

  private create(request: ChargeRequest): Promise<Stripe.Subscription> {
    const { invoice: draft, metadata } = request;
    return this.calls.translated(request, 'subscription.create', (options) =>
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
          // `latest_invoice.payments.data.payment.payment_intent` would be 5 levels; Stripe allows 4.
          expand: ['latest_invoice.payments'],
        },
        options,
      ),
    );
  }
}
