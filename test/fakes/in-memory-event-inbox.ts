import type { InboxStats, StripeEventInbox } from '../../application/lifecycle/lifecycle-ports';
import type { EventOutcome, InboxEvent, StripeEvent } from '../../application/lifecycle/stripe-event';
import type { AppId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';

interface Row extends InboxEvent {
  nextAttemptAt: number;
  leaseUntil: number | null;
  processedAt: Date | null;
  outcome: EventOutcome | null;
  lastError: string | null;
}

export class InMemoryEventInbox implements StripeEventInbox {
  readonly rows = new Map<string, Row>();
  private readonly cursors = new Map<string, Date>();

  async add(appId: AppId, mode: StripeMode, event: StripeEvent, receivedAt: Date): Promise<boolean> {
    const key = `${appId}/${event.id}`;
    if (this.rows.has(key)) return false;
    this.rows.set(key, {
      ...event, appId, mode, receivedAt, attempts: 0, nextAttemptAt: receivedAt.getTime(), leaseUntil: null, processedAt: null, outcome: null, lastError: null,
    });
    return true;
  }

  async claim(now: Date, leaseUntil: Date, limit: number): Promise<InboxEvent[]> {
    const due = [...this.rows.values()]
      .filter((row) => !row.processedAt && row.nextAttemptAt <= now.getTime() && (row.leaseUntil === null || row.leaseUntil <= now.getTime()))
      .sort((a, b) => a.created.getTime() - b.created.getTime() || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
    for (const row of due) row.leaseUntil = leaseUntil.getTime();
    return due.map(({ nextAttemptAt, leaseUntil: _lease, processedAt, outcome, lastError, ...event }) => ({ ...event }));
  }

  async finish(appId: AppId, eventId: string, outcome: EventOutcome, at: Date): Promise<void> {
    const row = this.rows.get(`${appId}/${eventId}`)!;
    Object.assign(row, { processedAt: at, outcome, leaseUntil: null, attempts: row.attempts + 1 });
  }

  async retryLater(appId: AppId, eventId: string, error: string, retryAt: Date): Promise<void> {
    const row = this.rows.get(`${appId}/${eventId}`)!;
    Object.assign(row, { nextAttemptAt: retryAt.getTime(), lastError: error, leaseUntil: null, attempts: row.attempts + 1 });
  }

  async reopenFailed(since: Date, now: Date): Promise<number> {
    const failed = [...this.rows.values()].filter((row) => row.outcome === 'failed' && row.created >= since);
    for (const row of failed) Object.assign(row, { processedAt: null, outcome: null, attempts: 0, nextAttemptAt: now.getTime(), leaseUntil: null });
    return failed.length;
  }

  async stats(): Promise<InboxStats> {
    const waiting = [...this.rows.values()].filter((row) => !row.processedAt);
    const oldest = waiting.reduce<Date | null>((min, row) => (min === null || row.receivedAt < min ? row.receivedAt : min), null);
    return { backlog: waiting.length, oldestReceivedAt: oldest };
  }

  async caughtUpUntil(appId: AppId, mode: StripeMode): Promise<Date | undefined> {
    return this.cursors.get(`${appId}/${mode}`);
  }

  async setCaughtUpUntil(appId: AppId, mode: StripeMode, until: Date): Promise<void> {
    this.cursors.set(`${appId}/${mode}`, until);
  }
}
