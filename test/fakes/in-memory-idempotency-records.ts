import type { FinalOutcome } from '../../application/invoice-charged';
import type { ClaimResult, IdempotencyClaim, IdempotencyRecords } from '../../application/ports';
import type { AppId, IdempotencyKey, OperationId } from '../../domain/ids';

interface StoredRecord {
  fingerprint: string;
  operationId: OperationId;
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
        leaseUntil: claim.leaseUntil,
        outcome: null,
      });
      return { status: 'claimed', operationId: claim.operationId };
    }
    if (record.fingerprint !== claim.fingerprint) return { status: 'mismatch' };
    if (record.outcome !== null) return { status: 'completed', outcome: JSON.parse(record.outcome) as FinalOutcome };
    if (record.leaseUntil > claim.now) return { status: 'in_progress', leaseUntil: record.leaseUntil };
    record.leaseUntil = claim.leaseUntil;
    return { status: 'claimed', operationId: record.operationId };
  }

  async complete(appId: AppId, key: IdempotencyKey, operationId: OperationId, outcome: FinalOutcome): Promise<void> {
    const record = this.held(appId, key, operationId);
    if (record) record.outcome = JSON.stringify(outcome);
  }

  async release(appId: AppId, key: IdempotencyKey, operationId: OperationId, options: { forget: boolean }) {
    const record = this.held(appId, key, operationId);
    if (!record) return;
    if (options.forget) this.records.delete(`${appId}/${key}`);
    else record.leaseUntil = new Date(0);
  }

  private held(appId: AppId, key: IdempotencyKey, operationId: OperationId): StoredRecord | undefined {
    const record = this.records.get(`${appId}/${key}`);
    return record && record.operationId === operationId && record.outcome === null ? record : undefined;
  }
}
