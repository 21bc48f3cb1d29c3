import { inject, injectable } from 'inversify';
import { PaymentDeclined } from '../../domain/errors';
import { parseOperationId } from '../../domain/ids';
import { stripeModeOf } from '../../domain/modes';
import { LedgerReader } from '../admin-ports';
import { AttemptCharge } from '../attempt-charge';
import { ChargeLookup, type FoundCharge } from '../charge-lookup';
import { toFailureRecord } from '../final-outcome';
import { toInvoiceCharged } from '../invoice-charged';
import { LeasePolicy, leaseUntil } from '../lease-policy';
import { settlement } from '../ledger-settlement';
import {
  ChargeLedger,
  Clock,
  IdempotencyRecords,
  Ids,
  StripeAccounts,
  type AbandonedOperation,
  type LedgerRow,
  type LedgerSettlement,
} from '../ports';
import { PrepareCharge } from '../prepare-charge';

export interface ReconcileReport {
  /** Idempotency-Key operations whose holder died: finished now, failed for good, or still unresolved (Stripe down). */
  operations: { appId: string; key: string; operationId: string; result: 'completed' | 'failed' | 'unresolved' | 'busy'; detail: string }[];
  /** Ledger attempts that stayed pending or unknown, and what they turned out to be. */
  attempts: { id: string; operationId: string; outcome: LedgerSettlement['outcome'] }[];
}

/**
 * Drives operations nobody will retry to a final state: each Idempotency-Key whose lease ran out is taken over and
 * finished from its last recovery point (or, when the request can no longer be honoured, what Stripe holds is voided
 * and the failure recorded); each attempt left pending or unknown is settled with what Stripe says. Idempotent:
 * running it twice changes nothing the second time.
 */
@injectable()
export class Reconcile {
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

  async run(limit = 100): Promise<ReconcileReport> {
    const now = this.clock.now();
    const operations: ReconcileReport['operations'] = [];
    for (const operation of await this.records.abandoned(now, limit)) operations.push(await this.finish(operation));
    const attempts: ReconcileReport['attempts'] = [];
    // Attempts younger than two leases may still be running in a live process; they are left alone.
    const settledBefore = new Date(this.clock.now().getTime() - 2 * this.lease.milliseconds);
    for (const row of await this.ledgerReader.unsettled(settledBefore, limit)) {
      const outcome = await this.settle(row);
      if (outcome) attempts.push({ id: row.id, operationId: row.operationId, outcome });
    }
    return { operations, attempts };
  }

  private async finish(operation: AbandonedOperation): Promise<ReconcileReport['operations'][number]> {
    const { appId, key, stored } = operation;
    const report = (result: ReconcileReport['operations'][number]['result'], detail: string) => ({ appId, key, operationId: operation.operationId, result, detail });
    const now = this.clock.now();
    const claim = await this.records.claim({
      appId, key, fingerprint: operation.fingerprint, stored,
      operationId: parseOperationId(this.ids.next()), leaseToken: this.ids.next(), now, leaseUntil: leaseUntil(this.lease, now),
    });
    if (claim.status !== 'claimed') return report('busy', `now ${claim.status}`);
    const lease = { key, token: claim.leaseToken };
    let prepared;
    try {
      prepared = await this.prepare.execute(stored.caller, stored.request);
    } catch (error) {
      // The request cannot be honoured any more (tenant, price or key gone): whatever Stripe holds is voided.
      const account = await this.accounts.find(appId, stripeModeOf(stored.request.test));
      if (account && claim.progress.point !== 'started') await this.lookup.abandon(account, claim.progress, claim.operationId);
      const failure = toFailureRecord(error) ?? { code: 'FORBIDDEN' as const, reason: 'no_longer_possible', message: (error as Error).message };
      await this.records.complete(appId, key, lease.token, { kind: 'failed', failure });
      return report('failed', failure.message);
    }
    try {
      const result = await this.attempt.execute({
        ...prepared, caller: stored.caller, operationId: claim.operationId, lease, resumeFrom: claim.progress, takenOver: true,
      });
      return report('completed', `${result.status}: invoice ${result.invoice.id}`);
    } catch (error) {
      return report(toFailureRecord(error) ? 'failed' : 'unresolved', (error as Error).message);
    }
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
    const found = await this.lookup.find(account, row.mode, row.operationId);
    if (!found) return this.record(row, 'abandoned', null);
    if (found.result) {
      try {
        return this.record(row, toInvoiceCharged(found.result).status, found.result);
      } catch (error) {
        if (!(error instanceof PaymentDeclined)) throw error;
      }
    }
    await this.lookup.abandon(account, found.progress, row.operationId);
    return this.record(row, found.result ? 'declined' : 'abandoned', found.result, found.progress.invoiceId);
  }

  private async record(row: LedgerRow, outcome: LedgerSettlement['outcome'], result: FoundCharge['result'], invoiceId: string | null = null) {
    await this.ledger.settle(row.id, settlement(outcome, this.clock.now(), { result, invoiceId }));
    return outcome;
  }
}
