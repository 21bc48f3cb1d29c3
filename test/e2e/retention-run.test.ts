import path from 'node:path';
import Database from 'libsql';
import { FixedClock } from '../fakes/fixed-clock';
import { startLiveService, type LiveService } from '../support/live-service';

// A long run in simulated days: charges every day under Idempotency-Keys, the retention's purge every day. The
// stored answers stay bounded by the retention (30 days); what remains is the audit trail and the read model.

const DAYS = 45;
const PER_DAY = 8;
const RETENTION_DAYS = 30;
const DAY = 86_400_000;

let live: LiveService;
const clock = new FixedClock(new Date('2026-03-01T12:00:00Z'));

beforeAll(async () => {
  live = await startLiveService({ clock });
}, 60_000);
afterAll(() => live?.close());

function storeSize(): { answers: number; ledger: number; invoices: number; usedBytes: number } {
  const database = new Database(path.join(live.dataDir, 'service.sqlite'));
  try {
    const count = (table: string) => (database.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const pragma = (name: string) => Object.values(database.prepare(`pragma ${name}`).get() as Record<string, number>)[0]!;
    database.exec('pragma wal_checkpoint(TRUNCATE)');
    return {
      answers: count('idempotency_records'), ledger: count('charge_ledger'), invoices: count('invoices'),
      usedBytes: (pragma('page_count') - pragma('freelist_count')) * pragma('page_size'),
    };
  } finally {
    database.close();
  }
}

describe('retention over a long run', () => {
  it(`keeps at most ${RETENTION_DAYS} days of idempotency answers while charging ${PER_DAY} a day for ${DAYS} days`, async () => {
    const rows: string[] = [];
    let most = 0;
    const invoiceOf = new Map<string, string>();
    for (let day = 1; day <= DAYS; day += 1) {
      for (let n = 0; n < PER_DAY; n += 1) {
        const charged = await live.charge('pays', { key: `day-${day}-order-${n}` });
        expect(charged.status).toBe(201);
        invoiceOf.set(`day-${day}-order-${n}`, charged.json['data'].invoice.id as string);
      }
      const purged = await live.service.purgeExpired.run();
      const size = storeSize();
      most = Math.max(most, size.answers);
      if (day % 5 === 0 || day === RETENTION_DAYS + 1) rows.push(`day ${day}: ${size.answers} answers, ${size.ledger} ledger rows, ${size.invoices} invoices, ${size.usedBytes} bytes used; purged ${purged.idempotencyAnswers}`);
      clock.advance(DAY);
    }
    console.info(`retention run (${PER_DAY} charges a day, answers kept ${RETENTION_DAYS} days):\n${rows.join('\n')}`);
    expect(most).toBeLessThanOrEqual((RETENTION_DAYS + 1) * PER_DAY);
    expect(storeSize().answers).toBe((RETENTION_DAYS + 1) * PER_DAY);
    expect(storeSize().ledger).toBe(DAYS * PER_DAY); // the audit trail stays unless LEDGER_RETENTION_DAYS is set
    // A key within the retention still replays; one purged is free again (a new charge, as after Stripe's own 24 h).
    const recent = await live.charge('pays', { key: `day-${DAYS}-order-0` });
    expect(recent.json['data'].invoice.id).toBe(invoiceOf.get(`day-${DAYS}-order-0`));
    const purged = await live.charge('pays', { key: 'day-1-order-0' });
    expect(purged.json['data'].invoice.id).not.toBe(invoiceOf.get('day-1-order-0'));
  }, 180_000);
});
