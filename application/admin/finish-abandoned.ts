import { inject, injectable } from 'inversify';
import { IdempotencyInProgress } from '../../domain/errors';
import { parseOperationId } from '../../domain/ids';
import { stripeModeOf } from '../../domain/modes';
import { LedgerReader } from '../admin-ports';
import { AttemptCharge } from '../attempt-charge';
import { ChargeLookup } from '../charge-lookup';
import { ChargeAborted, StripeAccountRejected, UpstreamUnavailable } from '../errors';
import { toFailureRecord, type FailureRecord, type FinalOutcome } from '../final-outcome';
import { chargeStatusOf, toInvoiceCharged } from '../invoice-charged';
import { LeasePolicy, leaseUntil } from '../lease-policy';
import { chargedInvoiceRecord, failedInvoiceOf, failedSettlement, settlement } from '../ledger-settlement';
import type { InvoiceRecord } from '../invoice-record';
import {
  ChargeLedger,
  Clock,
  IdempotencyRecords,
  Ids,
  StripeAccounts,
  type AbandonedOperation,
  type KeyCompletion,
  type ClaimResult,
  type LedgerRow,
  type LedgerSettlement,
} from '../ports';
import { PrepareCharge } from '../prepare-charge';

/** How many attempts an operation gets (callers' retries included) before reconciliation gives it up. */
export const MAX_ATTEMPTS = 5;

export type FinishResult = 'completed' | 'failed' | 'gave_up' | 'unresolved' | 'busy';

/** Stripe unreachable, the app's key refused, a lease lost: a later attempt may well succeed. */
function mayPassLater(error: unknown): boolean {
  return error instanceof UpstreamUnavailable || error instanceof StripeAccountRejected || error instanceof IdempotencyInProgress;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

type Claimed = Extract<ClaimResult, { status: 'claimed' }>;

/**
 * Finishes one operation whose holder died: takes its key over and charges on from the last recovery point. When the
 * request can no longer be honoured, or when attempts keep failing for reasons no retry fixes, the operation is
 * concluded: the charge Stripe made (if any) is the answer, else what Stripe holds unpaid is voided and the failure
 * recorded. Stripe being unreachable never concludes anything: the operation waits for a later run.
 */
@injectable()
export class FinishAbandoned {
  constructor(
    @inject(IdempotencyRecords) private readonly records: IdempotencyRecords,
    @inject(LedgerReader) private readonly ledgerReader: LedgerReader,
    @inject(ChargeLedger) private readonly ledger: ChargeLedger,
    @inject(StripeAccounts) private readonly accounts: StripeAccounts,
    @inject(ChargeLookup) private readonly lookup: ChargeLookup,
    @inject(PrepareCharge) private readonly prepare: PrepareCharge,
    @inject(AttemptCharge) private readonly attempt: AttemptCharge,
    @inject(LeasePolicy) private readonly lease: LeasePolicy,
    @inject(Clock) private readonly clock: Clock,
    @inject(Ids) private readonly ids: Ids,
  ) {}

  async execute(operation: AbandonedOperation): Promise<{ result: FinishResult; detail: string }> {
    const claim = await this.claim(operation);
    if (claim.status !== 'claimed') return { result: 'busy', detail: `now ${claim.status}` };
    const { stored } = operation;
    let prepared;
    try {
      prepared = await this.prepare.execute(stored.caller, stored.request);
    } catch (error) {
      if (mayPassLater(error)) {
        await this.records.release(operation.appId, operation.key, claim.leaseToken, { forget: false });
        return { result: 'unresolved', detail: messageOf(error) };
      }
      // The request can no longer be honoured (the tenant, user, price or key is gone), or never can be.
      const failure = toFailureRecord(error) ?? toFailureRecord(new ChargeAborted('reconcile_gave_up', messageOf(error)))!;
      return this.conclude(operation, claim, failure, 'failed');
    }
    try {
      const lease = { key: operation.key, token: claim.leaseToken };
      const result = await this.attempt.execute({
        ...prepared, caller: stored.caller, operationId: claim.operationId, lease, resumeFrom: claim.progress, takenOver: true,
      });
      return { result: 'completed', detail: `${result.status}: invoice ${result.invoice.id}` };
    } catch (error) {
      if (toFailureRecord(error)) return { result: 'failed', detail: messageOf(error) };
      if (mayPassLater(error) || (await this.failedAttempts(operation)) < MAX_ATTEMPTS) return { result: 'unresolved', detail: messageOf(error) };
      const again = await this.claim(operation);
      if (again.status !== 'claimed') return { result: 'busy', detail: `now ${again.status}` };
      return this.conclude(operation, again, toFailureRecord(new ChargeAborted('reconcile_gave_up', messageOf(error)))!, 'gave_up');
    }
  }

  private claim(operation: AbandonedOperation): Promise<ClaimResult> {
    const now = this.clock.now();
    return this.records.claim({
      appId: operation.appId,
      key: operation.key,
      fingerprint: operation.fingerprint,
      stored: operation.stored,
      operationId: parseOperationId(this.ids.next()),
      leaseToken: this.ids.next(),
      now,
      leaseUntil: leaseUntil(this.lease, now),
    });
  }

  /** Every attempt of an unfinished operation failed (earlier ones may read `superseded` by now). */
  private async failedAttempts(operation: AbandonedOperation): Promise<number> {
    return (await this.ledgerReader.list({ operationId: operation.operationId, limit: 1_000 })).length;
  }

  /** Ends the operation: a charge Stripe made stands as the answer; otherwise what it holds unpaid is voided. */
  private async conclude(operation: AbandonedOperation, claim: Claimed, failure: FailureRecord, result: FinishResult) {
    const { request } = operation.stored;
    const account = await this.accounts.find(operation.appId, stripeModeOf(request.test));
    const readAt = this.clock.now();
    const found = account && (await this.lookup.find(account, request.mode, operation.operationId, claim.progress.restarts));
    const now = this.clock.now();
    const answer = (outcome: FinalOutcome): KeyCompletion => ({ appId: operation.appId, key: operation.key, leaseToken: claim.leaseToken, outcome });
    if (found?.result && chargeStatusOf(found.result)) {
      const charged = toInvoiceCharged(found.result);
      const result = found.result;
      await this.settleLastAttempt(operation, answer({ kind: 'charged', result: charged }), settlement(charged.status, now, { result }), (row) =>
        chargedInvoiceRecord(row, result, charged.status, now, readAt),
      );
      return { result: 'completed' as const, detail: `${charged.status}: invoice ${charged.invoice.id}` };
    }
    const progress = found?.progress ?? claim.progress;
    if (account && progress.point !== 'started') await this.lookup.abandon(account, progress, operation.operationId);
    await this.settleLastAttempt(operation, answer({ kind: 'failed', failure }), failedSettlement(failure, now), (row) => failedInvoiceOf(row, failure, now, readAt));
    return { result, detail: failure.message };
  }

  /**
   * The operation's latest attempt still marked unknown takes the conclusion, with the key's answer in its settlement;
   * earlier ones are superseded by it. Without such an attempt the answer is stored alone.
   */
  private async settleLastAttempt(operation: AbandonedOperation, answer: KeyCompletion, conclusion: LedgerSettlement, invoiceOf: (row: LedgerRow) => InvoiceRecord | undefined) {
    const rows = await this.ledgerReader.list({ operationId: operation.operationId, limit: 1_000 });
    const latest = rows.find((row) => row.outcome === 'unknown' || row.outcome === 'pending');
    if (latest) await this.ledger.settle(latest.id, conclusion, invoiceOf(latest), answer);
    else await this.records.complete(answer);
  }
}
