import { inject, injectable } from 'inversify';
import { IdempotencyInProgress } from '../domain/errors';
import type { IdempotencyKey, OperationId } from '../domain/ids';
import type { Caller } from './caller';
import type { ChargeProgress } from './charge-progress';
import { ChargeInvoice } from './charge-invoice';
import { toFailureRecord, type FinalOutcome } from './final-outcome';
import { toInvoiceCharged, type InvoiceCharged } from './invoice-charged';
import { LeasePolicy, leaseUntil } from './lease-policy';
import { chargedInvoiceRecord, failedInvoiceOf, failedSettlement, settlement } from './ledger-settlement';
import { ChargeLedger, Clock, IdempotencyRecords, Ids, type KeyCompletion, type LedgerEntry } from './ports';
import type { PreparedCharge } from './prepare-charge';

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
 * One attempt at a prepared charge, on the record: a ledger row around it, each recovery point committed with the
 * Idempotency-Key, and the key settled at the end, in the ledger's settlement. A final outcome is stored; an unknown
 * one (Stripe unreachable) only releases the lease, so that a retry resumes where this attempt stopped.
 */
@injectable()
export class AttemptCharge {
  constructor(
    @inject(ChargeInvoice) private readonly charge: ChargeInvoice,
    @inject(ChargeLedger) private readonly ledger: ChargeLedger,
    @inject(IdempotencyRecords) private readonly records: IdempotencyRecords,
    @inject(LeasePolicy) private readonly lease: LeasePolicy,
    @inject(Clock) private readonly clock: Clock,
    @inject(Ids) private readonly ids: Ids,
  ) {}

  async execute(order: ChargeOrder): Promise<InvoiceCharged> {
    const entry = this.entryFor(order, this.ids.next());
    let attemptOpened = false;
    try {
      await this.ledger.begin(entry);
      attemptOpened = true;
      const charged = await this.charge.execute({
        account: order.account,
        invoice: order.invoice,
        operationId: order.operationId,
        metadata: { tenantId: order.invoice.tenantId, userId: order.userId, operationId: order.operationId },
        resumeFrom: order.resumeFrom,
        takenOver: order.takenOver,
        checkpoint: (progress) => this.checkpoint(order, progress),
      });
      const result = toInvoiceCharged(charged);
      const now = this.clock.now();
      // What Stripe answered was read after the attempt started: any reading a webhook takes later replaces it.
      const record = chargedInvoiceRecord(entry, charged, result.status, now, entry.startedAt);
      await this.ledger.settle(entry.id, settlement(result.status, now, { result: charged }), record, this.completion(order, { kind: 'charged', result }));
      return result;
    } catch (error) {
      await this.recordFailure(order, entry, attemptOpened, error);
      throw error;
    }
  }

  /** Commits a recovery point before the next Stripe call; an attempt that lost its lease stops here. */
  private async checkpoint(order: ChargeOrder, progress: ChargeProgress): Promise<void> {
    if (!order.lease) return;
    const until = leaseUntil(this.lease, this.clock.now());
    const held = await this.records.checkpoint(order.caller.appId, order.lease.key, order.lease.token, progress, until);
    if (!held) throw new IdempotencyInProgress(1);
  }

  private async recordFailure(order: ChargeOrder, entry: LedgerEntry, opened: boolean, error: unknown) {
    const failure = toFailureRecord(error);
    try {
      const now = this.clock.now();
      const completion = failure && this.completion(order, { kind: 'failed', failure });
      if (opened) await this.ledger.settle(entry.id, failedSettlement(failure, now), failedInvoiceOf(entry, failure, now, entry.startedAt), completion);
      else if (completion) await this.records.complete(completion);
      if (!failure && order.lease) {
        // Unknown outcome: keep the record (and its recovery point) so that a retry resumes under the same Stripe keys.
        await this.records.release(order.caller.appId, order.lease.key, order.lease.token, { forget: !opened });
      }
    } catch {
      // The original error is what the caller must hear; the lease still expires on its own.
    }
  }

  /** The key's final answer, for the holder of its lease; nothing to store for a call sent without a key. */
  private completion(order: ChargeOrder, outcome: FinalOutcome): KeyCompletion | undefined {
    return order.lease ? { appId: order.caller.appId, key: order.lease.key, leaseToken: order.lease.token, outcome } : undefined;
  }

  private entryFor(order: ChargeOrder, attemptId: string): LedgerEntry {
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
}
