import { inject, injectable } from 'inversify';
import type { StripeMode } from '../../domain/modes';
import { Clock, StripeAccounts } from '../ports';
import { StripeEventFeed, StripeEventInbox } from './lifecycle-ports';
import { FOLLOWED_EVENT_TYPES } from './stripe-event';

/** Stripe keeps events for 30 days: nothing older can be caught up. */
const STRIPE_EVENT_RETENTION_MS = 30 * 86_400_000;
/** Read a little before the last catch-up: an event created just before it may not have been listed yet. */
const OVERLAP_MS = 5 * 60_000;

export interface CaughtUp {
  appId: string;
  mode: StripeMode;
  /** Events read from Stripe's list, and of those the ones the inbox did not hold (deliveries that never came). */
  read: number;
  added: number;
  error?: string;
}

/**
 * For every app and mode with a Stripe key: reads Stripe's own event list since the last catch-up and puts into the
 * inbox whatever never arrived as a webhook. Part of `operations reconcile`; the inbox's unique event id makes it
 * safe to run at any time, as often as wanted.
 */
@injectable()
export class CatchUpStripeEvents {
  constructor(
    @inject(StripeAccounts) private readonly accounts: StripeAccounts,
    @inject(StripeEventFeed) private readonly feed: StripeEventFeed,
    @inject(StripeEventInbox) private readonly inbox: StripeEventInbox,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async run(): Promise<CaughtUp[]> {
    const report: CaughtUp[] = [];
    for (const { appId, mode } of await this.accounts.configured()) {
      const entry: CaughtUp = { appId, mode, read: 0, added: 0 };
      report.push(entry);
      try {
        const account = await this.accounts.find(appId, mode);
        if (!account) continue;
        const startedAt = this.clock.now();
        const oldest = startedAt.getTime() - STRIPE_EVENT_RETENTION_MS;
        const last = (await this.inbox.caughtUpUntil(appId, mode))?.getTime() ?? oldest;
        for await (const event of this.feed.since(account, new Date(Math.max(oldest, last - OVERLAP_MS)), FOLLOWED_EVENT_TYPES)) {
          entry.read += 1;
          if (await this.inbox.add(appId, mode, event, this.clock.now())) entry.added += 1;
        }
        await this.inbox.setCaughtUpUntil(appId, mode, startedAt);
      } catch (error) {
        // One account Stripe refuses or cannot answer for (or whose key this process cannot open) never stops the
        // others; its cursor stays where it was.
        entry.error = error instanceof Error ? error.message : String(error);
      }
    }
    return report;
  }
}
