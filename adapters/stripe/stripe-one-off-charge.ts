import type Stripe from 'stripe';
import type { ChargeRequest, ChargeResult, RecoveryPoint, StripeAccount, StripeStep } from '../../application/billing-provider';
import { DomainError, NoPaymentMethod, PaymentDeclined } from '../../domain/errors';
import { PAYMENT_INTENT, chargeResult, type StripeCalls } from './stripe-calls';
import { isDraftPayRefusal, isRequiresAction, translateStripeError } from './stripe-error-table';
import { defaultPayment } from './stripe-views';

/**
 * A one-off invoice: create the draft → add the line → pay with the PaymentIntent expanded, 3 sequential requests,
 * each followed by a checkpoint. A resumed charge starts at its recovery point and looks Stripe up before repeating.
 */
export class StripeOneOffCharge {
  /** Accounts where Stripe refused to pay a draft: they get an explicit finalize first. */
  private readonly finalizeFirst = new Set<string>();

  constructor(private readonly calls: StripeCalls) {}

  payPathFor(account: StripeAccount): 'pay-draft' | 'finalize-first' {
    return this.finalizeFirst.has(`${account.appId}|${account.mode}`) ? 'finalize-first' : 'pay-draft';
  }

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const { resumeFrom } = request;
    let { point, invoiceId } = resumeFrom;
    if (point === 'started') {
      invoiceId = (await this.createDraft(request)).id;
      point = await reach(request, 'invoice_created', invoiceId);
    }
    const id = invoiceId!;
    if (point === 'invoice_created') {
      const lined = resumeFrom.point === 'invoice_created' && (await this.calls.retrieveInvoice(request.account, id)).lines.data.length > 0;
      if (!lined) await this.addLine(request, id);
      point = await reach(request, 'lines_added', id);
    }
    if (point === 'lines_added') {
      const charged = await this.payOrFindPaid(request, id, resumeFrom.point === 'lines_added');
      await reach(request, 'paid', id);
      return charged;
    }
    // The charge finished before a crash: its answer is read back from Stripe.
    return chargeResult(await this.calls.retrieveInvoice(request.account, id), null);
  }

  private createDraft(request: ChargeRequest): Promise<Stripe.Invoice> {
    const { invoice: draft, metadata } = request;
    return this.calls.translated(request, 'invoice.create', (options) =>
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
  }

  private async addLine(request: ChargeRequest, invoiceId: string): Promise<void> {
    const { invoice: draft } = request;
    try {
      await this.calls.translated(request, 'invoice.add_lines', (options) =>
        this.calls.stripe.invoices.addLines(
          invoiceId,
          { lines: [{ pricing: { price: draft.priceId }, quantity: draft.quantity, tax_rates: [draft.taxRateId] }] },
          options,
        ),
      );
    } catch (error) {
      // Stripe refused the line for good: the empty draft is deleted. An outage keeps it, for the retry to resume.
      if (error instanceof DomainError) await this.calls.quietly(request, 'invoice.delete', (options) => this.calls.stripe.invoices.del(invoiceId, {}, options));
      throw error;
    }
  }

  /** Pays the invoice; a resumed charge first checks whether the attempt that died already paid it. */
  private async payOrFindPaid(request: ChargeRequest, invoiceId: string, resumed: boolean): Promise<ChargeResult> {
    if (resumed) {
      const current = await this.calls.retrieveInvoice(request.account, invoiceId);
      const intent = defaultPayment(current)?.payment.payment_intent;
      const waiting = typeof intent === 'object' && intent !== null && ['requires_action', 'processing'].includes(intent.status);
      if (current.status === 'paid' || (current.status === 'open' && waiting)) return chargeResult(current, null);
      if (current.status === 'void') throw new PaymentDeclined(undefined, invoiceId);
    }
    try {
      return chargeResult(await this.pay(request, invoiceId), null);
    } catch (error) {
      if (isRequiresAction(error)) return chargeResult(await this.calls.retrieveInvoice(request.account, invoiceId), null);
      const failure = translateStripeError(error, request.account.mode);
      if (failure instanceof PaymentDeclined || failure instanceof NoPaymentMethod) {
        await this.calls.voidQuietly(request, invoiceId);
        throw failure instanceof PaymentDeclined ? new PaymentDeclined(failure.declineCode, invoiceId) : failure;
      }
      throw failure;
    }
  }

  /** Pays the draft; where Stripe refuses to pay drafts, finalizes first (and remembers that for the account). */
  private async pay(request: ChargeRequest, invoiceId: string): Promise<Stripe.Invoice> {
    const accountKey = `${request.account.appId}|${request.account.mode}`;
    const pay = (step: StripeStep) =>
      this.calls.write(request, step, (options) => this.calls.stripe.invoices.pay(invoiceId, { expand: [PAYMENT_INTENT] }, options));
    if (!this.finalizeFirst.has(accountKey)) {
      try {
        return await pay('invoice.pay');
      } catch (error) {
        if (!isDraftPayRefusal(error)) throw error;
        this.finalizeFirst.add(accountKey);
      }
    }
    await this.calls.write(request, 'invoice.finalize', (options) => this.calls.stripe.invoices.finalizeInvoice(invoiceId, { auto_advance: false }, options));
    return pay('invoice.pay_after_finalize');
  }
}

async function reach(request: ChargeRequest, point: RecoveryPoint, invoiceId: string): Promise<RecoveryPoint> {
  await request.checkpoint({ point, invoiceId, subscriptionId: null });
  return point;
}
