import { paymentStatusOf, type InvoiceLife } from '../../application/lifecycle/invoice-life';

const base: InvoiceLife = {
  id: 'in_1', number: 'N-1', status: 'open', billingReason: 'manual', livemode: false, currency: 'usd', subtotal: 1000, tax: 190, total: 1190,
  amountDue: 1190, amountPaid: 0, hostedInvoiceUrl: null, invoicePdf: null, subscriptionId: null, attempted: true, paymentIntent: null, charge: null,
};
const intent = (status: string) => ({ id: 'pi_1', status });
const charge = (amountRefunded: number, disputed = false) => ({ amountCaptured: 1190, amountRefunded, disputed });

describe('where an invoice payment stands, from what Stripe holds', () => {
  it.each([
    ['paid with a succeeded PaymentIntent', { status: 'paid', paymentIntent: intent('succeeded'), charge: charge(0) }, 'succeeded'],
    ['paid with nothing to charge (credit, or under the minimum)', { status: 'paid', paymentIntent: null }, 'nothing_to_charge'],
    ['waiting for 3-D Secure', { paymentIntent: intent('requires_action') }, 'requires_action'],
    ['processing (a bank debit)', { paymentIntent: intent('processing') }, 'processing'],
    ['attempted, and needing another payment method', { paymentIntent: intent('requires_payment_method') }, 'failed'],
    ['finalized, its PaymentIntent made but not attempted yet', { attempted: false, paymentIntent: intent('requires_payment_method') }, 'processing'],
    ['a draft renewal, not collected yet', { status: 'draft', attempted: false }, 'processing'],
    ['voided unpaid', { status: 'void', paymentIntent: intent('canceled') }, 'failed'],
    ['marked uncollectible', { status: 'uncollectible', paymentIntent: intent('requires_payment_method') }, 'failed'],
    ['partly refunded', { status: 'paid', paymentIntent: intent('succeeded'), charge: charge(100) }, 'partially_refunded'],
    ['refunded in full', { status: 'paid', paymentIntent: intent('succeeded'), charge: charge(1190) }, 'refunded'],
    ['disputed, even after a refund', { status: 'paid', paymentIntent: intent('succeeded'), charge: charge(100, true) }, 'disputed'],
  ] as const)('%s', (_name, overrides, expected) => {
    expect(paymentStatusOf({ ...base, ...overrides } as InvoiceLife)).toBe(expected);
  });
});
