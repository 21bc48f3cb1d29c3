import type { FinalOutcome } from '../../application/invoice-charged';
import type { ClaimResult, IdempotencyClaim, IdempotencyRecords } from '../../application/ports';
import type { AppId, IdempotencyKey, OperationId } from '../../domain/ids';

interface StoredRecord {
  fingerprint: string;
  operationId: OperationId;
  leaseToken: string;
  leaseUntil: Date;
  /** Kept as text, as a database would keep it, so that replays are rebuilt from storage. */
  outcome: string | null;
}

export class InMemoryIdempotencyRecords implements IdempotencyRecords {
  readonly records = new Map<string, StoredRecord>();

  async claim(claim: IdempotencyClaim): Promise<ClaimResult> {
    const id = `${claim.appId}/${claim.key}`;
    const record = this.records.get(id);
    if (!record) {
      this.records.set(id, {
        fingerprint: claim.fingerprint,
        operationId: claim.operationId,
        leaseToken: claim.leaseToken,
        leaseUntil: claim.leaseUntil,
        outcome: null,
      });
      return { status: 'claimed', operationId: claim.operationId, leaseToken: claim.leaseToken };
    }
    if (record.fingerprint !== claim.fingerprint) return { status: 'mismatch' };
    if (record.outcome !== null) return { status: 'completed', outcome: JSON.parse(record.outcome) as FinalOutcome };
    if (record.leaseUntil > claim.now) return { status: 'in_progress', leaseUntil: record.leaseUntil };
    record.leaseUntil = claim.leaseUntil;
    record.leaseToken = claim.leaseToken;
    return { status: 'claimed', operationId: record.operationId, leaseToken: claim.leaseToken };
  }

  async complete(appId: AppId, key: IdempotencyKey, leaseToken: string, outcome: FinalOutcome): Promise<void> {
    const record = this.held(appId, key, leaseToken);
    if (record) record.outcome = JSON.stringify(outcome);
  }

  async release(appId: AppId, key: IdempotencyKey, leaseToken: string, options: { forget: boolean }) {
    const record = this.held(appId, key, leaseToken);
    if (!record) return;
    if (options.forget) this.records.delete(`${appId}/${key}`);
    else record.leaseUntil = new Date(0);
  }

  private held(appId: AppId, key: IdempotencyKey, leaseToken: string): StoredRecord | undefined {
    const record = this.records.get(`${appId}/${key}`);
    return record && record.leaseToken === leaseToken && record.outcome === null ? record : undefined;
  }
}
