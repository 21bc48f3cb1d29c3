import type { ServiceIdentifier } from 'inversify';
import { inject, injectable } from 'inversify';
import { Clock } from '../ports';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How long the store keeps what it only needs for a while. */
export interface RetentionPolicy {
  /** Stored final answers of Idempotency-Keys (each with a PaymentIntent): at least Stripe's own 24 hours. */
  idempotencyAnswersMs: number;
  /** Processed Stripe events, and the apps' events with their delivery log: at least Stripe's 3 days of retries. */
  eventsMs: number;
  /** The charge ledger, the audit trail: kept for good unless set. */
  ledgerMs: number | null;
}
export const RetentionPolicy: ServiceIdentifier<RetentionPolicy> = Symbol('RetentionPolicy');

export const DEFAULT_RETENTION: RetentionPolicy = { idempotencyAnswersMs: 30 * DAY, eventsMs: 30 * DAY, ledgerMs: null };
export const SHORTEST_RETENTION = { idempotencyAnswersMs: 24 * HOUR, eventsMs: 3 * DAY } as const;

/** Deletes, oldest first and at most `limit` at a time, what is older than `before`; each returns how many went. */
export interface ExpiredRecords {
  /** Final answers only: an unfinished operation is kept, whatever its age, until it is finished. */
  purgeIdempotencyAnswers(before: Date, limit: number): Promise<number>;
  /** Events applied or given up for good; pending ones stay. */
  purgeStripeEvents(before: Date, limit: number): Promise<number>;
  /** The apps' events none of whose deliveries is still pending, their deliveries and their attempts. */
  purgeAppEvents(before: Date, limit: number): Promise<number>;
  /** Settled ledger rows. */
  purgeLedger(before: Date, limit: number): Promise<number>;
}
export const ExpiredRecords: ServiceIdentifier<ExpiredRecords> = Symbol('ExpiredRecords');

export interface PurgeReport {
  idempotencyAnswers: number;
  stripeEvents: number;
  appEvents: number;
  ledgerRows: number;
}

const BATCH = 1_000;

/**
 * Keeps the store's size bounded: what has served its purpose for longer than the retention is deleted in small
 * batches (a big delete would hold locks the charge path needs). Run by every server in the background and by
 * `operations purge`; running it twice at once only shares the work.
 */
@injectable()
export class PurgeExpired {
  constructor(
    @inject(ExpiredRecords) private readonly expired: ExpiredRecords,
    @inject(RetentionPolicy) private readonly retention: RetentionPolicy,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async run(): Promise<PurgeReport> {
    const now = this.clock.now().getTime();
    const before = (ms: number) => new Date(now - ms);
    const { idempotencyAnswersMs, eventsMs, ledgerMs } = this.retention;
    return {
      idempotencyAnswers: await drain((limit) => this.expired.purgeIdempotencyAnswers(before(idempotencyAnswersMs), limit)),
      stripeEvents: await drain((limit) => this.expired.purgeStripeEvents(before(eventsMs), limit)),
      appEvents: await drain((limit) => this.expired.purgeAppEvents(before(eventsMs), limit)),
      ledgerRows: ledgerMs === null ? 0 : await drain((limit) => this.expired.purgeLedger(before(ledgerMs), limit)),
    };
  }
}

async function drain(batch: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await batch(BATCH);
    total += deleted;
    if (deleted < BATCH) return total;
  }
}
