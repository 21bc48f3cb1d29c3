import type Stripe from 'stripe';

export interface PaymentIntentFields {
  amount: number;
  currency: string;
  customer: string;
  paymentMethod: string | null;
  description: string | null;
  metadata: Record<string, string>;
}

/** A PaymentIntent created for an invoice payment, before its confirmation decides the status. */
export function paymentIntentObject(base: { id: string; created: number; livemode: boolean }, fields: PaymentIntentFields): Stripe.PaymentIntent {
  return {
    ...base,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: fields.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${base.id}_secret_${base.id.slice(-12)}`,
    confirmation_method: 'automatic',
    currency: fields.currency,
    customer: fields.customer,
    customer_account: null,
    description: fields.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    managed_payments: null,
    metadata: fields.metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: fields.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_confirmation',
    transfer_data: null,
    transfer_group: null,
  };
}
