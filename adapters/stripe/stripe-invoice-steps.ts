import type Stripe from 'stripe';
import type { BillingOperation, InvoiceState, PaymentAttempt, StripeAccount } from '../../application/billing-provider';
import { NoPaymentMethod, PaymentDeclined } from '../../domain/errors';
import type { Invoice } from '../../domain/invoice';
import { PAYMENT_INTENT, type StripeCalls, type StripeStep } from './stripe-calls';
import { isDraftPayRefusal, isRequiresAction, translateStripeError } from './stripe-error-table';
import { invoiceState } from './stripe-views';

/** The one-off invoice's steps on Stripe: create the draft, add its line, pay it (finalizing first where Stripe wants that). */
export class StripeInvoiceSteps {
  /** Accounts where Stripe refused to pay a draft: they get an explicit finalize first. */
  private readonly finalizeFirst = new Set<string>();

  constructor(private readonly calls: StripeCalls) {}

  payPathFor(account: StripeAccount): 'pay-draft' | 'finalize-first' {
    return this.finalizeFirst.has(accountKey(account)) ? 'finalize-first' : 'pay-draft';
  }

  async createDraft(operation: BillingOperation, draft: Invoice, metadata: Readonly<Record<string, string>>): Promise<string> {
    const created = await this.calls.translated(operation, 'invoice.create', (options) =>
      this.calls.stripe.invoices.create(
        {
          customer: draft.customer,
          currency: draft.currency,
          collection_method: 'charge_automatically',
          // Without this Stripe would finalize and collect an abandoned draft on its own an hour later.
          auto_advance: false,
          pending_invoice_items_behavior: 'exclude',
          ...(draft.footer ? { footer: draft.footer } : {}),
          metadata: { ...metadata },
        },
        options,
      ),
    );
    return created.id;
  }

  async addLine(operation: BillingOperation, invoiceId: string, draft: Invoice): Promise<void> {
    await this.calls.translated(operation, 'invoice.add_lines', (options) =>
      this.calls.stripe.invoices.addLines(
        invoiceId,
        { lines: [{ pricing: { price: draft.priceId }, quantity: draft.quantity, tax_rates: [draft.taxRateId] }] },
        options,
      ),
    );
  }

  /** Stripe answers a decline, and a card that needs 3-D Secure, with a 402: the second is no failure. */
  async pay(operation: BillingOperation, invoiceId: string): Promise<PaymentAttempt> {
    try {
      return { outcome: 'collected', invoice: invoiceState(await this.payAnyDraft(operation, invoiceId)) };
    } catch (error) {
      if (isRequiresAction(error)) return { outcome: 'collected', invoice: await this.readOrFail(operation.account, invoiceId) };
      const failure = translateStripeError(error, operation.account.mode);
      if (failure instanceof PaymentDeclined) return { outcome: 'declined', declineCode: failure.declineCode };
      if (failure instanceof NoPaymentMethod) return { outcome: 'no_payment_method' };
      throw failure;
    }
  }

  async void(operation: BillingOperation, invoiceId: string): Promise<void> {
    await this.calls.translated(operation, 'invoice.void', (options) => this.calls.stripe.invoices.voidInvoice(invoiceId, {}, options));
  }

  async deleteDraft(operation: BillingOperation, invoiceId: string): Promise<void> {
    await this.calls.translated(operation, 'invoice.delete', (options) => this.calls.stripe.invoices.del(invoiceId, {}, options));
  }

  async read(account: StripeAccount, invoiceId: string): Promise<InvoiceState | undefined> {
    const invoice = await this.calls.findInvoice(account, invoiceId);
    return invoice && invoiceState(invoice);
  }

  private async readOrFail(account: StripeAccount, invoiceId: string): Promise<InvoiceState> {
    const state = await this.read(account, invoiceId);
    if (!state) throw new Error(`Stripe no longer has the invoice ${invoiceId} it just asked to authenticate.`);
    return state;
  }

  /** Pays the draft; where Stripe refuses to pay drafts, finalizes first (and remembers that for the account). */
  private async payAnyDraft(operation: BillingOperation, invoiceId: string): Promise<Stripe.Invoice> {
    const key = accountKey(operation.account);
    const pay = (step: StripeStep) =>
      this.calls.write(operation, step, (options) => this.calls.stripe.invoices.pay(invoiceId, { expand: [PAYMENT_INTENT] }, options));
    if (!this.finalizeFirst.has(key)) {
      try {
        return await pay('invoice.pay');
      } catch (error) {
        if (!isDraftPayRefusal(error)) throw error;
        this.finalizeFirst.add(key);
      }
    }
    await this.calls.write(operation, 'invoice.finalize', (options) =>
      this.calls.stripe.invoices.finalizeInvoice(invoiceId, { auto_advance: false }, options),
    );
    return pay('invoice.pay_after_finalize');
  }
}

function accountKey(account: StripeAccount): string {
  return `${account.appId}|${account.mode}`;
}
