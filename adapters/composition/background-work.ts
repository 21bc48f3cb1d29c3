export interface BackgroundWork {
  /** New work is waiting: start now instead of at the next poll. */
  notify(): void;
  stop(): Promise<void>;
}

/**
 * Runs a batch of queued work inside the server (the Stripe event inbox, the deliveries to the apps): the next batch
 * at once while batches come back full of work, at once when notified, else every `pollMs`. Several instances may
 * run the same work: each item is claimed under a lease before it is touched.
 */
export function workInBackground<T>(
  work: { run(): Promise<T[]> },
  pollMs: number,
  report: (done: T[]) => void,
  fail: (error: unknown) => void,
): BackgroundWork {
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
        const done = await work.run();
        report(done);
        busy = done.length > 0;
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
