import type { ProcessedEvent } from '../../application/lifecycle/process-stripe-events';
import type { UseCases } from '../../application/use-cases';

export interface BackgroundEvents {
  /** New events are in the inbox: process now instead of at the next poll. */
  notify(): void;
  stop(): Promise<void>;
}

/**
 * Works through the Stripe event inbox inside the server: a batch at once when a delivery arrives, else every
 * `pollMs` (events left for a retry, events another instance received). Several instances may run it: events are
 * claimed under a lease before they are touched.
 */
export function processEventsInBackground(
  events: UseCases['processStripeEvents'],
  pollMs: number,
  report: (processed: ProcessedEvent[]) => void,
  fail: (error: unknown) => void,
): BackgroundEvents {
  let stopped = false;
  let wake: (() => void) | undefined;
  const nap = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollMs);
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const loop = async () => {
    while (!stopped) {
      let busy = false;
      try {
        const processed = await events.run();
        report(processed);
        busy = processed.length > 0;
      } catch (error) {
        fail(error);
      }
      if (!busy && !stopped) await nap();
      wake = undefined;
    }
  };
  const running = loop();
  return {
    notify: () => wake?.(),
    async stop() {
      stopped = true;
      wake?.();
      await running;
    },
  };
}
