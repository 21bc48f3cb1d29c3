import type { ChargeProgress, RecoveryPoint } from '../../application/charge-progress';
import type { FinalOutcome } from '../../application/final-outcome';
import type { AbandonedOperation, ClaimResult, Clock, IdempotencyClaim, IdempotencyRecords, KeyCompletion, StoredRequest } from '../../application/ports';
import { parseAppId, parseIdempotencyKey, parseOperationId, type AppId, type IdempotencyKey } from '../../domain/ids';
import { sql, type Kysely } from 'kysely';
import type { SqlDatabase } from './open-database';
import type { Schema } from './sql-schema';

interface ProgressColumns {
  recovery_point: string;
  stripe_invoice_id: string | null;
  stripe_subscription_id: string | null;
  stripe_restarts: number | string;
}

function progressOf(row: ProgressColumns): ChargeProgress {
  return {
    point: row.recovery_point as RecoveryPoint,
    invoiceId: row.stripe_invoice_id,
    subscriptionId: row.stripe_subscription_id,
    restarts: Number(row.stripe_restarts),
  };
}

/** Idempotency-Key records (contract §4): the claim is one arbitrated INSERT … ON CONFLICT statement. */
export class SqlIdempotencyRecords implements IdempotencyRecords {
  constructor(
    private readonly database: SqlDatabase,
    private readonly clock: Clock,
  ) {}

  async claim(claim: IdempotencyClaim): Promise<ClaimResult> {
    const { db, values } = this.database;
    const now = values.time(claim.now);
    // Inserts a new record, or takes over this request's record whose lease has run out; concurrent claims are
    // arbitrated by the primary key, so exactly one of them gets a row back.
    const claimed = await db
      .insertInto('idempotency_records')
      .values({
        app_id: claim.appId,
        key: claim.key,
        fingerprint: claim.fingerprint,
        operation_id: claim.operationId,
        lease_token: claim.leaseToken,
        lease_until: values.time(claim.leaseUntil),
        created_at: now,
        stored_request: JSON.stringify(claim.stored),
      })
      .onConflict((conflict) =>
        conflict
          .columns(['app_id', 'key'])
          .doUpdateSet((eb) => ({ lease_token: eb.ref('excluded.lease_token'), lease_until: eb.ref('excluded.lease_until') }))
          .where('idempotency_records.outcome', 'is', null)
          .where('idempotency_records.lease_until', '<=', now)
          .where('idempotency_records.fingerprint', '=', claim.fingerprint),
      )
      .returning(['operation_id', 'lease_token', 'recovery_point', 'stripe_invoice_id', 'stripe_subscription_id', 'stripe_restarts'])
      .executeTakeFirst();
    if (claimed && claimed.lease_token === claim.leaseToken) {
      return { status: 'claimed', operationId: parseOperationId(claimed.operation_id), leaseToken: claim.leaseToken, progress: progressOf(claimed) };
    }
    const record = await db
      .selectFrom('idempotency_records')
      .select(['fingerprint', 'outcome', 'lease_until'])
      .where('app_id', '=', claim.appId)
      .where('key', '=', claim.key)
      .executeTakeFirst();
    if (!record) return this.claim(claim); // released and forgotten between the two statements: claim afresh
    if (record.fingerprint !== claim.fingerprint) return { status: 'mismatch' };
    if (record.outcome !== null) return { status: 'completed', outcome: JSON.parse(record.outcome) as FinalOutcome };
    return { status: 'in_progress', leaseUntil: values.readTime(record.lease_until) };
  }

  async checkpoint(appId: AppId, key: IdempotencyKey, leaseToken: string, progress: ChargeProgress, leaseUntil: Date): Promise<boolean> {
    const { db, values } = this.database;
    const updated = await db
      .updateTable('idempotency_records')
      .set({
        recovery_point: progress.point,
        stripe_invoice_id: progress.invoiceId,
        stripe_subscription_id: progress.subscriptionId,
        stripe_restarts: progress.restarts,
        lease_until: values.time(leaseUntil),
      })
      .where('app_id', '=', appId)
      .where('key', '=', key)
      .where('lease_token', '=', leaseToken)
      .where('outcome', 'is', null)
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1;
  }

  /** `db`: a transaction the answer commits in (the ledger's settlement), or the store itself. */
  async complete({ appId, key, leaseToken, outcome }: KeyCompletion, db: Kysely<Schema> = this.database.db): Promise<void> {
    const { values } = this.database;
    await db
      .updateTable('idempotency_records')
      .set({ outcome: JSON.stringify(outcome), completed_at: values.time(this.clock.now()) })
      .where('app_id', '=', appId)
      .where('key', '=', key)
      .where('lease_token', '=', leaseToken)
      .where('outcome', 'is', null)
      .execute();
  }

  async release(appId: AppId, key: IdempotencyKey, leaseToken: string, options: { forget: boolean }): Promise<void> {
    const { db, values } = this.database;
    const held = { app_id: appId, key, lease_token: leaseToken };
    if (options.forget) {
      await db.deleteFrom('idempotency_records').where((eb) => eb.and(held)).where('outcome', 'is', null).execute();
      return;
    }
    await db
      .updateTable('idempotency_records')
      .set({ lease_until: values.time(new Date(0)) })
      .where((eb) => eb.and(held))
      .where('outcome', 'is', null)
      .execute();
  }

  async abandoned(now: Date, limit: number): Promise<AbandonedOperation[]> {
    const { db, values } = this.database;
    const candidates = db
      .selectFrom('idempotency_records')
      .selectAll()
      .select(sql<number>`row_number() over (partition by app_id order by created_at)`.as('turn'))
      .where('outcome', 'is', null)
      .where('lease_until', '<', values.time(now))
      .where('stored_request', 'is not', null)
      .as('candidates');
    const rows = await db.selectFrom(candidates).selectAll().orderBy('turn').orderBy('created_at').limit(limit).execute();
    return rows.map((row) => ({
      appId: parseAppId(row.app_id),
      key: parseIdempotencyKey(row.key),
      fingerprint: row.fingerprint,
      stored: JSON.parse(row.stored_request!) as StoredRequest,
      operationId: parseOperationId(row.operation_id),
      progress: progressOf(row),
    }));
  }
}
