export interface BackgroundRuns {
  stop(): Promise<void>;
}

/**
 * Runs a piece of upkeep every `intervalMs` inside the server, one run at a time, so that it needs no cron job:
 * reconciliation (operations nobody retries get finished) and the retention's purge. Several instances may run it:
 * reconciliation claims every operation before touching it, and purges only delete.
 */
export function repeatInBackground<R>(
  work: { run(): Promise<R> },
  intervalMs: number,
  report: (report: R) => void,
  fail: (error: unknown) => void,
): BackgroundRuns {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = work.run().then(report, fail).finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
