import { inject, injectable } from 'inversify';
import { DomainError, NoPaymentMethod, PaymentDeclined } from '../domain/errors';
import type { OperationId } from '../domain/ids';
import type { Invoice } from '../domain/invoice';
import {
  BillingProvider,
  type BillingOperation,
  type ChargeResult,
  type InvoiceState,
  type PaymentAttempt,
  type StripeAccount,
  type SubscriptionState,
} from './billing-provider';
import type { ChargeProgress, RecoveryPoint } from './charge-progress';
import { ChargeLookup, resultOf } from './charge-lookup';
import { cleanUp } from './clean-up';
import { BillingRequestRejected, ChargeAborted } from './errors';
import { chargeStatusOf } from './invoice-charged';

/** One charge to run, or to resume from where an earlier attempt of the same operation got to. */
export interface ChargeRun {
  account: StripeAccount;
  invoice: Invoice;
  /** Every Stripe write of this charge is idempotent per this id and the step. */
  operationId: OperationId;
  /** Written onto the Stripe objects so that the operation can be found from Stripe's side. */
  metadata: Readonly<Record<string, string>>;
  resumeFrom: ChargeProgress;
  /** True when an earlier attempt may have reached Stripe without recording it: Stripe is asked before anything is repeated. */
  takenOver: boolean;
  /**
   * Called after each Stripe write, before the next: the point must be committed before going on. It throws when
   * this attempt has lost its lease (another holder took the operation over), which stops the charge.
   */
  checkpoint(progress: ChargeProgress): Promise<void>;
}

/**
 * The exactly-once state machine of a charge. A one-off invoice: create the draft → add the line → pay, a recovery
 * point committed after each step. A subscription: start it (Stripe collects its first invoice inside) → its recovery
 * point. A resumed charge starts at its recovery point and looks Stripe up before repeating a step; a failed payment
 * voids what it left open. Declines and a missing payment method are thrown as PaymentDeclined / NoPaymentMethod;
 * what no retry can fix ends as ChargeAborted, once Stripe's own state shows nothing was charged.
 */
@injectable()
export class ChargeInvoice {
  constructor(
    @inject(BillingProvider) private readonly billing: BillingProvider,
    @inject(ChargeLookup) private readonly lookup: ChargeLookup,
  ) {}

  async execute(run: ChargeRun): Promise<ChargeResult> {
    let from = run.resumeFrom;
    if (run.takenOver && from.point === 'started') {
      // The attempt before this one may have reached Stripe without recording it: ask Stripe, do not guess.
      from = (await this.lookup.find(run.account, run.invoice.mode, run.operationId, from.restarts))?.progress ?? from;
    }
    try {
      return run.invoice.mode === 'payment' ? await this.oneOff(run, from) : await this.subscription(run, from);
    } catch (error) {
      if (error instanceof BillingRequestRejected) return this.settleRefusal(run, error);
      throw error;
    }
  }

  private async oneOff(run: ChargeRun, from: ChargeProgress): Promise<ChargeResult> {
    const operation = operationOf(run, from);
    let current: InvoiceState | undefined;
    if (from.point === 'invoice_created' || from.point === 'lines_added') {
      current = await this.billing.readInvoice(run.account, from.invoiceId!);
      // Only a draft can vanish (a person deleted it), and a draft was never charged: start over, under new keys.
      if (!current) return this.startOver(run, from);
    }
    let { point, invoiceId } = from;
    if (point === 'started') {
      invoiceId = await this.billing.createDraftInvoice(operation, run.invoice, run.metadata);
      point = await reach(run, from, 'invoice_created', invoiceId);
    }
    const id = invoiceId!;
    if (point === 'invoice_created') {
      // A resumed charge looks before repeating: the line may be on the invoice already.
      if (!current || current.lineCount === 0) await this.addLine(operation, run.invoice, id);
      point = await reach(run, from, 'lines_added', id);
    }
    if (point === 'lines_added') {
      const charged = await this.pay(operation, id, from.point === 'lines_added' ? current : undefined);
      await reach(run, from, 'paid', id);
      return charged;
    }
    // The charge finished before a crash: its answer is read back from Stripe.
    const paid = await this.billing.readInvoice(run.account, id);
    if (!paid) throw new ChargeAborted('object_gone', `the paid invoice ${id} of this operation is not found at Stripe`);
    return resultOf(paid);
  }

  private async startOver(run: ChargeRun, from: ChargeProgress): Promise<ChargeResult> {
    const again: ChargeProgress = { point: 'started', invoiceId: null, subscriptionId: null, restarts: from.restarts + 1 };
    await run.checkpoint(again);
    return this.oneOff(run, again);
  }

  private async addLine(operation: BillingOperation, invoice: Invoice, invoiceId: string): Promise<void> {
    try {
      await this.billing.addInvoiceLine(operation, invoiceId, invoice);
    } catch (error) {
      // Stripe refused the line for good: the empty draft is deleted. An outage keeps it, for the retry to resume.
      if (error instanceof DomainError) await cleanUp(() => this.billing.deleteDraftInvoice(operation, invoiceId));
      throw error;
    }
  }

  /** Pays the invoice, unless `resumed` (what Stripe holds after an attempt that died) shows it paid already. */
  private async pay(operation: BillingOperation, invoiceId: string, resumed: InvoiceState | undefined): Promise<ChargeResult> {
    if (resumed) {
      const waiting = ['requires_action', 'processing'].includes(resumed.paymentIntent?.status ?? '');
      if (resumed.invoice.status === 'paid' || (resumed.invoice.status === 'open' && waiting)) return resultOf(resumed);
      if (resumed.invoice.status === 'void') throw new PaymentDeclined(undefined, invoiceId);
    }
    const attempt = await this.billing.payInvoice(operation, invoiceId);
    if (attempt.outcome === 'collected') return resultOf(attempt.invoice);
    await cleanUp(() => this.billing.voidInvoice(operation, invoiceId));
    throw failureOf(attempt, invoiceId);
  }

  private async subscription(run: ChargeRun, from: ChargeProgress): Promise<ChargeResult> {
    const operation = operationOf(run, from);
    let state: SubscriptionState | undefined;
    if (from.point === 'started') {
      state = await this.billing.startSubscription(operation, run.invoice, run.metadata);
      await run.checkpoint({ point: 'subscription_created', invoiceId: state.invoice.invoice.id, subscriptionId: state.subscription.id, restarts: from.restarts });
    } else {
      state = await this.billing.readSubscription(run.account, from.subscriptionId!);
      if (!state) throw new ChargeAborted('object_gone', `the subscription ${from.subscriptionId} of this operation is not found at Stripe`);
    }
    const { attempt, subscription } = state;
    if (attempt.outcome === 'collected') return resultOf(state.invoice, subscription);
    const invoiceId = state.invoice.invoice.id;
    await cleanUp(() => this.billing.cancelSubscription(operation, subscription.id));
    await cleanUp(() => this.billing.voidInvoice(operation, invoiceId));
    throw failureOf(attempt, invoiceId, subscription.id);
  }

  /**
   * Stripe refused a request for good. What Stripe holds decides the answer: a charge it made stands; otherwise what
   * it holds unpaid is voided and the operation ends as ChargeAborted.
   */
  private async settleRefusal(run: ChargeRun, refusal: BillingRequestRejected): Promise<ChargeResult> {
    const found = await this.lookup.find(run.account, run.invoice.mode, run.operationId, run.resumeFrom.restarts);
    if (found?.result && chargeStatusOf(found.result)) return found.result;
    if (found) await this.lookup.abandon(run.account, found.progress, run.operationId);
    throw new ChargeAborted('stripe_refused', refusal.detail);
  }
}

function operationOf(run: ChargeRun, from: ChargeProgress): BillingOperation {
  return { account: run.account, operationId: run.operationId, restarts: from.restarts };
}

async function reach(run: ChargeRun, from: ChargeProgress, point: RecoveryPoint, invoiceId: string): Promise<RecoveryPoint> {
  await run.checkpoint({ point, invoiceId, subscriptionId: null, restarts: from.restarts });
  return point;
}

function failureOf(attempt: Exclude<PaymentAttempt, { outcome: 'collected' }>, invoiceId: string, subscriptionId?: string): DomainError {
  return attempt.outcome === 'declined' ? new PaymentDeclined(attempt.declineCode, invoiceId, subscriptionId) : new NoPaymentMethod(invoiceId);
}
