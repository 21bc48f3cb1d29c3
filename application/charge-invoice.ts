import { inject, injectable, type ServiceIdentifier } from 'inversify';
import { IdempotencyInProgress, PaymentDeclined } from '../domain/errors';
import type { IdempotencyKey, OperationId } from '../domain/ids';
import type { Caller } from './caller';
import { BillingProvider, type ChargeProgress, type ChargeRequest, type ChargeResult } from './billing-provider';
import { toFailureRecord } from './final-outcome';
import type { ChargeStatus, FailureRecord, FinalOutcome, InvoiceCharged } from './invoice-charged';
import { ChargeLedger, Clock, IdempotencyRecords, Ids, type LedgerOutcome, type LedgerSettlement } from './ports';
import type { PreparedCharge } from './prepare-charge';

/** How long a claimed Idempotency-Key stays with its holder without a sign of life (each checkpoint renews it). */
export interface LeasePolicy {
  milliseconds: number;
}
export const LeasePolicy: ServiceIdentifier<LeasePolicy> = Symbol('LeasePolicy');
/** Longer than any single Stripe step can take with its retries. */
export const DEFAULT_LEASE: LeasePolicy = { milliseconds: 120_000 };

export interface ChargeOrder extends PreparedCharge {
  caller: Caller;
  operationId: OperationId;
  /** The claimed Idempotency-Key and this holder's lease token; null when the caller sent no key. */
  lease: { key: IdempotencyKey; token: string } | null;
  /** Where earlier attempts of this operation got to. */
  resumeFrom: ChargeProgress;
  /** True when this attempt took the operation over from an earlier one, whose last step may be unrecorded. */
  takenOver: boolean;
}

/**
 * Charges a prepared invoice through the billing provider with a ledger row around the attempt, recording each
 * recovery point with the Idempotency-Key, and settles the key: a final outcome is stored, an unknown one (Stripe
 * unreachable) only releases the lease so that a retry resumes where this attempt stopped.
 */
@injectable()
export class ChargeInvoice {
  constructor(
    @inject(BillingProvider) private readonly billing: BillingProvider,
    @inject(ChargeLedger) private readonly ledger: ChargeLedger,
    @inject(IdempotencyRecords) private readonly records: IdempotencyRecords,
    @inject(LeasePolicy) private readonly lease: LeasePolicy,
    @inject(Clock) private readonly clock: Clock,
    @inject(Ids) private readonly ids: Ids,
  ) {}

  async execute(order: ChargeOrder): Promise<InvoiceCharged> {
    const attemptId = this.ids.next();
    let attemptOpened = false;
    try {
      await this.ledger.begin(this.entryFor(order, attemptId));
      attemptOpened = true;
      const charged = await this.chargeOrResume(order);
      const result = toInvoiceCharged(charged);
      await this.ledger.settle(attemptId, this.settlement(result.status, charged));
      await this.complete(order, { kind: 'charged', result });
      return result;
    } catch (error) {
      await this.recordFailure(order, attemptId, attemptOpened, error);
      throw error;
    }
  }

  private async chargeOrResume(order: ChargeOrder): Promise<ChargeResult> {
    let resumeFrom = order.resumeFrom;
    if (order.takenOver && resumeFrom.point === 'started') {
      // The attempt before this one may have reached Stripe without recording it: ask Stripe, do not guess.
      const found = await this.billing.findCharge(order.account, order.invoice.mode, order.operationId);
      if (found?.result) return found.result;
      if (found) resumeFrom = found.progress;
    }
    const request: ChargeRequest = {
      account: order.account,
      invoice: order.invoice,
      operationId: order.operationId,
      metadata: { tenantId: order.invoice.tenantId, userId: order.userId, operationId: order.operationId },
      resumeFrom,
      checkpoint: (progress) => this.checkpoint(order, progress),
    };
    return order.invoice.mode === 'payment' ? this.billing.chargeOneOff(request) : this.billing.startSubscription(request);
  }

  /** Commits a recovery point before the next Stripe call; an attempt that lost its lease stops here. */
  private async checkpoint(order: ChargeOrder, progress: ChargeProgress): Promise<void> {
    if (!order.lease) return;
    const leaseUntil = new Date(this.clock.now().getTime() + this.lease.milliseconds);
    const held = await this.records.checkpoint(order.caller.appId, order.lease.key, order.lease.token, progress, leaseUntil);
    if (!held) throw new IdempotencyInProgress(1);
  }

  private async recordFailure(order: ChargeOrder, attemptId: string, opened: boolean, error: unknown) {
    const failure = toFailureRecord(error);
    try {
      if (opened) await this.ledger.settle(attemptId, this.failedSettlement(failure));
      if (failure) await this.complete(order, { kind: 'failed', failure });
      else if (order.lease) {
        // Unknown outcome: keep the record (and its recovery point) so that a retry resumes under the same Stripe keys.
        await this.records.release(order.caller.appId, order.lease.key, order.lease.token, { forget: !opened });
      }
    } catch {
      // The original error is what the caller must hear; the lease still expires on its own.
    }
  }

  private async complete(order: ChargeOrder, outcome: FinalOutcome): Promise<void> {
    if (!order.lease) return;
    await this.records.complete(order.caller.appId, order.lease.key, order.lease.token, outcome);
  }

  private entryFor(order: ChargeOrder, attemptId: string) {
    const { invoice, caller } = order;
    return {
      id: attemptId,
      operationId: order.operationId,
      appId: caller.appId,
      apiKeyId: caller.keyId,
      tenantId: invoice.tenantId,
      userId: order.userId,
      mode: invoice.mode,
      livemode: invoice.livemode,
      currency: invoice.currency,
      subtotal: invoice.subtotal.amount,
      tax: invoice.tax.amount,
      total: invoice.total.amount,
      idempotencyKey: order.lease?.key ?? null,
      startedAt: this.clock.now(),
    };
  }

  private settlement(outcome: LedgerOutcome & ChargeStatus, charged: ChargeResult): LedgerSettlement {
    return {
      outcome,
      stripeInvoiceId: charged.invoice.id,
      stripePaymentIntentId: charged.paymentIntent?.id ?? null,
      stripeSubscriptionId: charged.subscription?.id ?? null,
      declineCode: null,
      finishedAt: this.clock.now(),
    };
  }

  private failedSettlement(failure: FailureRecord | undefined): LedgerSettlement {
    const outcomes: Record<FailureRecord['code'], LedgerSettlement['outcome']> = {
      PAYMENT_DECLINED: 'declined',
      NO_PAYMENT_METHOD: 'no_payment_method',
      PRICE_NOT_USABLE: 'rejected',
      TAX_RATE_NOT_APPLICABLE: 'rejected',
      FORBIDDEN: 'rejected',
    };
    return {
      outcome: failure ? outcomes[failure.code] : 'unknown',
      stripeInvoiceId: failure?.invoiceId ?? null,
      stripePaymentIntentId: null,
      stripeSubscriptionId: null,
      declineCode: failure?.declineCode ?? null,
      finishedAt: this.clock.now(),
    };
  }
}

/** Stripe's PaymentIntent status → how the call ended. A PaymentIntent that still needs a payment method is a decline. */
export function toInvoiceCharged(charged: ChargeResult): InvoiceCharged {
  return { status: statusOf(charged), paymentIntent: charged.paymentIntent, invoice: charged.invoice, subscription: charged.subscription };
}

function statusOf(charged: ChargeResult): ChargeStatus {
  const intent = charged.paymentIntent;
  if (!intent) return 'nothing_to_charge';
  switch (intent.status) {
    case 'succeeded':
      return 'succeeded';
    case 'requires_action':
    case 'requires_confirmation':
      return 'requires_action';
    case 'processing':
    case 'requires_capture':
      return 'processing';
    default:
      throw new PaymentDeclined(undefined, charged.invoice.id);
  }
}
