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
 * voids what it left open. Declines and a missing payment method are thrown as PaymentDeclined / NoPaymentMethod.
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
      from = (await this.lookup.find(run.account, run.invoice.mode, run.operationId))?.progress ?? from;
    }
    return run.invoice.mode === 'payment' ? this.oneOff(run, from) : this.subscription(run, from);
  }

  private async oneOff(run: ChargeRun, from: ChargeProgress): Promise<ChargeResult> {
    const operation = { account: run.account, operationId: run.operationId };
    let { point, invoiceId } = from;
    if (point === 'started') {
      invoiceId = await this.billing.createDraftInvoice(operation, run.invoice, run.metadata);
      point = await reach(run, 'invoice_created', invoiceId);
    }
    const id = invoiceId!;
    if (point === 'invoice_created') {
      const lined = from.point === 'invoice_created' && (await this.read(run.account, id)).lineCount > 0;
      if (!lined) await this.addLine(operation, run.invoice, id);
      point = await reach(run, 'lines_added', id);
    }
    if (point === 'lines_added') {
      const charged = await this.pay(operation, id, from.point === 'lines_added');
      await reach(run, 'paid', id);
      return charged;
    }
    // The charge finished before a crash: its answer is read back from Stripe.
    return resultOf(await this.read(run.account, id));
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

  /** Pays the invoice; a resumed charge first checks whether the attempt that died already paid it. */
  private async pay(operation: BillingOperation, invoiceId: string, resumed: boolean): Promise<ChargeResult> {
    if (resumed) {
      const current = await this.read(operation.account, invoiceId);
      const waiting = ['requires_action', 'processing'].includes(current.paymentIntent?.status ?? '');
      if (current.invoice.status === 'paid' || (current.invoice.status === 'open' && waiting)) return resultOf(current);
      if (current.invoice.status === 'void') throw new PaymentDeclined(undefined, invoiceId);
    }
    const attempt = await this.billing.payInvoice(operation, invoiceId);
    if (attempt.outcome === 'collected') return resultOf(attempt.invoice);
    await cleanUp(() => this.billing.voidInvoice(operation, invoiceId));
    throw failureOf(attempt, invoiceId);
  }

  private async subscription(run: ChargeRun, from: ChargeProgress): Promise<ChargeResult> {
    const operation = { account: run.account, operationId: run.operationId };
    let state: SubscriptionState;
    if (from.point === 'started') {
      state = await this.billing.startSubscription(operation, run.invoice, run.metadata);
      await run.checkpoint({ point: 'subscription_created', invoiceId: state.invoice.invoice.id, subscriptionId: state.subscription.id });
    } else {
      state = await this.readSubscription(run.account, from.subscriptionId!);
    }
    const { attempt, subscription } = state;
    if (attempt.outcome === 'collected') return resultOf(state.invoice, subscription);
    await cleanUp(() => this.billing.cancelSubscription(operation, subscription.id));
    await cleanUp(() => this.billing.voidInvoice(operation, state.invoice.invoice.id));
    throw failureOf(attempt, state.invoice.invoice.id);
  }

  private async read(account: StripeAccount, invoiceId: string): Promise<InvoiceState> {
    const state = await this.billing.readInvoice(account, invoiceId);
    if (!state) throw new Error(`The invoice ${invoiceId} of this operation no longer exists at Stripe.`);
    return state;
  }

  private async readSubscription(account: StripeAccount, subscriptionId: string): Promise<SubscriptionState> {
    const state = await this.billing.readSubscription(account, subscriptionId);
    if (!state) throw new Error(`The subscription ${subscriptionId} of this operation no longer exists at Stripe.`);
    return state;
  }
}

async function reach(run: ChargeRun, point: RecoveryPoint, invoiceId: string): Promise<RecoveryPoint> {
  await run.checkpoint({ point, invoiceId, subscriptionId: null });
  return point;
}

function failureOf(attempt: Exclude<PaymentAttempt, { outcome: 'collected' }>, invoiceId: string): DomainError {
  return attempt.outcome === 'declined' ? new PaymentDeclined(attempt.declineCode, invoiceId) : new NoPaymentMethod();
}
