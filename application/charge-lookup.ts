import { inject, injectable } from 'inversify';
import type { OperationId } from '../domain/ids';
import type { InvoiceMode } from '../domain/modes';
import { BillingProvider, type ChargeResult, type InvoiceState, type StripeAccount } from './billing-provider';
import type { ChargeProgress, RecoveryPoint } from './charge-progress';
import { cleanUp } from './clean-up';

export interface FoundCharge {
  progress: ChargeProgress;
  /** Set once Stripe attempted the payment (paid, waiting for 3-D Secure, or declined and not yet voided). */
  result: ChargeResult | null;
}

/** The invoice as a finished charge, with the subscription that created it (if any). */
export function resultOf(state: InvoiceState, subscription: ChargeResult['subscription'] = null): ChargeResult {
  return { paymentIntent: state.paymentIntent, invoice: state.invoice, subscription };
}

/** The recovery point an invoice shows it reached: payment attempted, line added, or only created. */
export function pointOf(state: InvoiceState): RecoveryPoint {
  const attempted = state.invoice.status !== 'draft' && (state.paymentIntent !== null || state.invoice.status === 'paid');
  if (attempted) return 'paid';
  return state.lineCount > 0 ? 'lines_added' : 'invoice_created';
}

/**
 * Reads an operation's state back from Stripe, for outcomes nobody recorded (a holder that died before its first
 * checkpoint, an attempt whose answer was lost), and undoes what an abandoned operation left unpaid.
 */
@injectable()
export class ChargeLookup {
  constructor(@inject(BillingProvider) private readonly billing: BillingProvider) {}

  /** What Stripe holds for the operation, found by its id in the objects' metadata; undefined when nothing. */
  async find(account: StripeAccount, mode: InvoiceMode, operationId: OperationId, restarts = 0): Promise<FoundCharge | undefined> {
    if (mode === 'subscription') {
      const found = await this.billing.findSubscriptionOf(account, operationId);
      if (!found) return undefined;
      const progress = { point: 'subscription_created' as const, invoiceId: found.invoice.invoice.id, subscriptionId: found.subscription.id, restarts };
      return { progress, result: resultOf(found.invoice, found.subscription) };
    }
    const found = await this.billing.findInvoiceOf(account, operationId);
    if (!found) return undefined;
    const point = pointOf(found);
    return { progress: { point, invoiceId: found.invoice.id, subscriptionId: null, restarts }, result: point === 'paid' ? resultOf(found) : null };
  }

  /** Cancels the operation's incomplete subscription and voids (or deletes, when a draft) its unpaid invoice. */
  async abandon(account: StripeAccount, progress: ChargeProgress, operationId: OperationId): Promise<void> {
    const operation = { account, operationId, restarts: progress.restarts };
    const { subscriptionId, invoiceId } = progress;
    if (subscriptionId) await cleanUp(() => this.billing.cancelSubscription(operation, subscriptionId));
    if (!invoiceId) return;
    const state = await this.billing.readInvoice(account, invoiceId);
    if (state?.invoice.status === 'draft') await cleanUp(() => this.billing.deleteDraftInvoice(operation, invoiceId));
    else if (state?.invoice.status === 'open') await cleanUp(() => this.billing.voidInvoice(operation, invoiceId));
  }
}
