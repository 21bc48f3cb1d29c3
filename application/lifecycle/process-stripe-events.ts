import { inject, injectable } from 'inversify';
import { LeasePolicy, leaseUntil } from '../lease-policy';
import { Clock } from '../ports';
import { ApplyStripeEvent } from './apply-stripe-event';
import { StripeEventInbox, type InboxStats } from './lifecycle-ports';
import type { EventOutcome } from './stripe-event';

/** After this many failed attempts (about 10 minutes) an event is recorded `failed`, until reconciliation takes it up again. */
export const MAX_EVENT_ATTEMPTS = 8;
const FIRST_WAIT_MS = 5_000;
const BATCH = 10;
/** Stripe keeps events for 30 days; a failed event older than that is not taken up again. */
const REOPEN_WITHIN_MS = 30 * 86_400_000;

export interface ProcessedEvent {
  appId: string;
  eventId: string;
  type: string;
  /** `retry`: it failed this time (Stripe down, a key missing) and waits for a later run. */
  outcome: EventOutcome | 'retry';
  detail?: string;
}

/**
 * Works through the inbox: claims due events under a lease (so concurrent processes never take the same one),
 * applies each, and records how it ended. A failure leaves the event for later, with a growing wait, up to
 * MAX_EVENT_ATTEMPTS; then it is `failed` until `retryFailed` (each reconciliation). Run by every server in the
 * background and by `events process` from cron.
 */
@injectable()
export class ProcessStripeEvents {
  constructor(
    @inject(StripeEventInbox) private readonly inbox: StripeEventInbox,
    @inject(ApplyStripeEvent) private readonly apply: ApplyStripeEvent,
    @inject(LeasePolicy) private readonly lease: LeasePolicy,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  /** One batch of at most `limit` due events (small: the batch's lease must outlast applying all of it). */
  async run(limit = BATCH): Promise<ProcessedEvent[]> {
    const now = this.clock.now();
    const claimed = await this.inbox.claim(now, leaseUntil(this.lease, now), limit);
    const processed: ProcessedEvent[] = [];
    for (const event of claimed) {
      const about = { appId: event.appId, eventId: event.id, type: event.type };
      try {
        const outcome = await this.apply.execute(event);
        await this.inbox.finish(event.appId, event.id, outcome, this.clock.now());
        processed.push({ ...about, outcome });
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        const attempts = event.attempts + 1;
        if (attempts >= MAX_EVENT_ATTEMPTS) {
          await this.inbox.finish(event.appId, event.id, 'failed', this.clock.now());
          processed.push({ ...about, outcome: 'failed', detail });
        } else {
          const wait = FIRST_WAIT_MS * 2 ** (attempts - 1);
          await this.inbox.retryLater(event.appId, event.id, detail, new Date(this.clock.now().getTime() + wait));
          processed.push({ ...about, outcome: 'retry', detail });
        }
      }
    }
    return processed;
  }

  /** Events that failed for good are taken up again (reconciliation does this on each run): nothing is lost to an outage. */
  retryFailed(): Promise<number> {
    const now = this.clock.now();
    return this.inbox.reopenFailed(new Date(now.getTime() - REOPEN_WITHIN_MS), now);
  }

  /** How many events wait and since when, for metrics. */
  backlog(): Promise<InboxStats> {
    return this.inbox.stats();
  }

  /** Batches until nothing is due (or `maxBatches` ran): what the CLI and reconciliation call. */
  async drain(maxBatches = 100): Promise<ProcessedEvent[]> {
    const all: ProcessedEvent[] = [];
    for (let batch = 0; batch < maxBatches; batch += 1) {
      const processed = await this.run();
      all.push(...processed);
      if (processed.length === 0) break;
    }
    return all;
  }
}
