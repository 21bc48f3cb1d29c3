import type { ReconcileReport } from '../../application/admin/reconcile';
import type { UseCases } from '../../application/use-cases';

export interface BackgroundReconcile {
  stop(): Promise<void>;
}

/**
 * Runs reconciliation every `intervalMs` inside the server, one run at a time, so that operations nobody retries
 * are finished without a cron job. Several instances may run it: every operation is claimed before it is touched.
 */
export function reconcileInBackground(
  reconcile: UseCases['reconcile'],
  intervalMs: number,
  report: (report: ReconcileReport) => void,
  fail: (error: unknown) => void,
): BackgroundReconcile {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = reconcile.run().then(report, fail).finally(schedule);
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
