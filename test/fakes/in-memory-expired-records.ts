import type { ExpiredRecords } from '../../application/admin/purge-expired';
import type { InMemoryChargeLedger } from './in-memory-charge-ledger';
import type { InMemoryEventInbox } from './in-memory-event-inbox';
import type { InMemoryIdempotencyRecords } from './in-memory-idempotency-records';
import type { InMemoryWebhookOutbox } from './in-memory-outbound';

/** Retention over the other fakes' own collections, by the same rules as the SQL store. */
export class InMemoryExpiredRecords implements ExpiredRecords {
  constructor(
    private readonly parts: { idempotencyRecords: InMemoryIdempotencyRecords; eventInbox: InMemoryEventInbox; outbox: InMemoryWebhookOutbox; chargeLedger: InMemoryChargeLedger },
  ) {}

  async purgeIdempotencyAnswers(before: Date, limit: number): Promise<number> {
    const { records } = this.parts.idempotencyRecords;
    const expired = [...records].filter(([, record]) => record.outcome !== null && record.completedAt! < before).slice(0, limit);
    for (const [id] of expired) records.delete(id);
    return expired.length;
  }

  async purgeStripeEvents(before: Date, limit: number): Promise<number> {
    const { rows } = this.parts.eventInbox;
    const expired = [...rows].filter(([, row]) => (row.outcome === 'applied' || row.outcome === 'ignored') && row.processedAt! < before).slice(0, limit);
    for (const [id] of expired) rows.delete(id);
    return expired.length;
  }

  async purgeAppEvents(before: Date, limit: number): Promise<number> {
    return this.parts.outbox.purgeExpired(before, limit);
  }

  async purgeLedger(before: Date, limit: number): Promise<number> {
    const { rows } = this.parts.chargeLedger;
    const expired = new Set(rows.filter((row) => row.finishedAt !== null && row.finishedAt < before).slice(0, limit));
    const kept = rows.filter((row) => !expired.has(row));
    rows.splice(0, rows.length, ...kept);
    return expired.size;
  }
}
