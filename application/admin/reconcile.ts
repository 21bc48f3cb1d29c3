import { inject, injectable } from 'inversify';
import { LedgerReader } from '../admin-ports';
import { ChargeLookup, type FoundCharge } from '../charge-lookup';
import { chargeStatusOf } from '../invoice-charged';
import type { InvoiceRecord } from '../invoice-record';
import { LeasePolicy } from '../lease-policy';
import { chargedInvoiceRecord, failedInvoiceRecord, settlement } from '../ledger-settlement';
import { ChargeLedger, Clock, IdempotencyRecords, StripeAccounts, type LedgerRow, type LedgerSettlement } from '../ports';
import { CatchUpStripeEvents, type CaughtUp } from '../lifecycle/catch-up-stripe-events';
import { ProcessStripeEvents, type ProcessedEvent } from '../lifecycle/process-stripe-events';
import { FinishAbandoned, type FinishResult } from './finish-abandoned';

export interface ReconcileReport {
  /**
   * Idempotency-Key operations whose holder died: finished now, failed for good, given up after MAX_ATTEMPTS, still
   * unresolved (Stripe down: a later run retries), or busy (someone else holds them now).
   */
  operations: { appId: string; key: string; operationId: string; result: FinishResult; detail: string }[];
  /** Ledger attempts that stayed pending or unknown, and what they turned out to be. */
  attempts: { id: string; operationId: string; outcome: LedgerSettlement['outcome'] }[];
  /** Attempts that could not be settled this time (their app's Stripe key unreadable, Stripe down): a later run retries. */
  unsettled: { id: string; operationId: string; error: string }[];
  /**
   * Stripe's event list read per app and mode, for the deliveries that never came; events that had failed taken up
   * again; then the inbox worked through.
   */
  events: { caughtUp: CaughtUp[]; reopened: number; processed: ProcessedEvent[] };
}

/**
 * Drives operations nobody will retry to a final state: each Idempotency-Key whose lease ran out is finished
 * (FinishAbandoned), taken in turns across apps; each attempt left pending or unknown is settled with what Stripe
 * says; the events Stripe holds that never arrived are fetched and applied. Idempotent: running it twice changes
 * nothing the second time.
 */
@injectable()
export class Reconcile {
  constructor(
    @inject(IdempotencyRecords) private readonly records: IdempotencyRecords,
    @inject(LedgerReader) private readonly ledgerReader: LedgerReader,
    @inject(ChargeLedger) private readonly ledger: ChargeLedger,
    @inject(StripeAccounts) private readonly accounts: StripeAccounts,
    @inject(ChargeLookup) private readonly lookup: ChargeLookup,
    @inject(FinishAbandoned) private readonly finish: FinishAbandoned,
    @inject(CatchUpStripeEvents) private readonly catchUp: CatchUpStripeEvents,
    @inject(ProcessStripeEvents) private readonly events: ProcessStripeEvents,
    @inject(LeasePolicy) private readonly lease: LeasePolicy,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async run(limit = 100): Promise<ReconcileReport> {
    const now = this.clock.now();
    const operations: ReconcileReport['operations'] = [];
    for (const operation of await this.records.abandoned(now, limit)) {
      const { appId, key, operationId } = operation;
      // One operation that cannot be finished never stops the others.
      const finished = await this.finish.execute(operation).catch((error: unknown) => ({ result: 'unresolved' as const, detail: String(error) }));
      operations.push({ appId, key, operationId, ...finished });
    }
    const attempts: ReconcileReport['attempts'] = [];
    const unsettled: ReconcileReport['unsettled'] = [];
    // Attempts younger than two leases may still be running in a live process; they are left alone.
    const settledBefore = new Date(this.clock.now().getTime() - 2 * this.lease.milliseconds);
    for (const row of await this.ledgerReader.unsettled(settledBefore, limit)) {
      // One attempt that cannot be settled now (its app's Stripe key unreadable, Stripe down) never stops the others.
      try {
        const outcome = await this.settle(row);
        if (outcome) attempts.push({ id: row.id, operationId: row.operationId, outcome });
      } catch (error) {
        unsettled.push({ id: row.id, operationId: row.operationId, error: String(error) });
      }
    }
    const caughtUp = await this.catchUp.run();
    const reopened = await this.events.retryFailed();
    return { operations, attempts, unsettled, events: { caughtUp, reopened, processed: await this.events.drain() } };
  }

  /** The truth about one unsettled attempt: superseded by a later attempt, or what Stripe holds for its operation. */
  private async settle(row: LedgerRow): Promise<LedgerSettlement['outcome'] | undefined> {
    const attempts = await this.ledgerReader.list({ operationId: row.operationId, limit: 100 });
    const later = attempts.some((attempt) => attempt.id !== row.id && attempt.startedAt >= row.startedAt);
    if (later) return this.record(row, 'superseded', null);
    // An attempt under an Idempotency-Key is finished through its key (above), never settled behind its back.
    if (row.idempotencyKey !== null) return undefined;
    const account = await this.accounts.find(row.appId, row.livemode ? 'live' : 'test');
    if (!account) return undefined;
    const readAt = this.clock.now();
    const found = await this.lookup.find(account, row.mode, row.operationId);
    if (!found) return this.record(row, 'abandoned', null);
    const status = found.result ? chargeStatusOf(found.result) : undefined;
    if (found.result && status) return this.record(row, status, found.result, null, chargedInvoiceRecord(row, found.result, status, this.clock.now(), readAt));
    await this.lookup.abandon(account, found.progress, row.operationId);
    if (!found.result) return this.record(row, 'abandoned', null, found.progress.invoiceId);
    const voided = failedInvoiceRecord(row, found.result.invoice.id, this.clock.now(), readAt);
    return this.record(row, 'declined', found.result, found.progress.invoiceId, voided);
  }

  private async record(row: LedgerRow, outcome: LedgerSettlement['outcome'], result: FoundCharge['result'], invoiceId: string | null = null, invoice?: InvoiceRecord) {
    await this.ledger.settle(row.id, settlement(outcome, this.clock.now(), { result, invoiceId }), invoice);
    return outcome;
  }
}
