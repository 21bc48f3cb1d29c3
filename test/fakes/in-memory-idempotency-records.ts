import { NOT_STARTED, type ChargeProgress } from '../../application/charge-progress';
import type { FinalOutcome } from '../../application/final-outcome';
import type { AbandonedOperation, ClaimResult, IdempotencyClaim, IdempotencyRecords, StoredRequest, KeyCompletion } from '../../application/ports';
import type { AppId, IdempotencyKey, OperationId } from '../../domain/ids';

interface StoredRecord {
  appId: AppId;
  key: IdempotencyKey;
  fingerprint: string;
  stored: string;
  operationId: OperationId;
  leaseToken: string;
  leaseUntil: Date;
  progress: ChargeProgress;
  createdAt: Date;
  /** Kept as text, as a database would keep it, so that replays are rebuilt from storage. */
  outcome: string | null;
  /** When the outcome was stored (the wall clock, as the SQL store stamps it). */
  completedAt?: Date;
}

export class InMemoryIdempotencyRecords implements IdempotencyRecords {
  readonly records = new Map<string, StoredRecord>();

  async claim(claim: IdempotencyClaim): Promise<ClaimResult> {
    const id = `${claim.appId}/${claim.key}`;
    const record = this.records.get(id);
    if (!record) {
      this.records.set(id, {
        appId: claim.appId,
        key: claim.key,
        fingerprint: claim.fingerprint,
        stored: JSON.stringify(claim.stored),
        operationId: claim.operationId,
        leaseToken: claim.leaseToken,
        leaseUntil: claim.leaseUntil,
        progress: NOT_STARTED,
        createdAt: claim.now,
        outcome: null,
      });
      return { status: 'claimed', operationId: claim.operationId, leaseToken: claim.leaseToken, progress: NOT_STARTED };
    }
    if (record.fingerprint !== claim.fingerprint) return { status: 'mismatch' };
    if (record.outcome !== null) return { status: 'completed', outcome: JSON.parse(record.outcome) as FinalOutcome };
    if (record.leaseUntil > claim.now) return { status: 'in_progress', leaseUntil: record.leaseUntil };
    record.leaseUntil = claim.leaseUntil;
    record.leaseToken = claim.leaseToken;
    return { status: 'claimed', operationId: record.operationId, leaseToken: claim.leaseToken, progress: { ...record.progress } };
  }

  async checkpoint(appId: AppId, key: IdempotencyKey, leaseToken: string, progress: ChargeProgress, leaseUntil: Date): Promise<boolean> {
    const record = this.held(appId, key, leaseToken);
    if (!record) return false;
    record.progress = { ...progress };
    record.leaseUntil = leaseUntil;
    return true;
  }

  async complete({ appId, key, leaseToken, outcome }: KeyCompletion): Promise<void> {
    const record = this.held(appId, key, leaseToken);
    if (record) Object.assign(record, { outcome: JSON.stringify(outcome), completedAt: new Date() });
  }

  async release(appId: AppId, key: IdempotencyKey, leaseToken: string, options: { forget: boolean }) {
    const record = this.held(appId, key, leaseToken);
    if (!record) return;
    if (options.forget) this.records.delete(`${appId}/${key}`);
    else record.leaseUntil = new Date(0);
  }

  async abandoned(now: Date, limit: number): Promise<AbandonedOperation[]> {
    const oldestFirst = [...this.records.values()]
      .filter((record) => record.outcome === null && record.leaseUntil < now)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const turns = new Map<string, number>();
    const turnOf = new Map(oldestFirst.map((record) => {
      const turn = (turns.get(record.appId) ?? 0) + 1;
      turns.set(record.appId, turn);
      return [record, turn] as const;
    }));
    return oldestFirst
      .sort((a, b) => turnOf.get(a)! - turnOf.get(b)! || a.createdAt.getTime() - b.createdAt.getTime())
      .slice(0, limit)
      .map((record) => ({
        appId: record.appId,
        key: record.key,
        fingerprint: record.fingerprint,
        stored: JSON.parse(record.stored) as StoredRequest,
        operationId: record.operationId,
        progress: { ...record.progress },
      }));
  }

  private held(appId: AppId, key: IdempotencyKey, leaseToken: string): StoredRecord | undefined {
    const record = this.records.get(`${appId}/${key}`);
    return record && record.leaseToken === leaseToken && record.outcome === null ? record : undefined;
  }
}
