import type { ReconcileReport } from '../../../application/admin/reconcile';
import { repeatInBackground } from '../../../adapters/composition/background-runs';
import { PrometheusMetrics } from '../../../adapters/http/prometheus-metrics';

const gaveUp: ReconcileReport = {
  operations: [{ appId: 'a', key: 'k', operationId: 'o', result: 'gave_up', detail: 'a bug' }],
  attempts: [],
  unsettled: [],
  events: { caughtUp: [], reopened: 0, processed: [] },
};

describe('reconciliation in the server', () => {
  it('runs every interval, one run at a time, counts what it took up, and stops cleanly', async () => {
    let runs = 0;
    let concurrent = 0;
    let most = 0;
    const reconcile = {
      run: async () => {
        runs += 1;
        concurrent += 1;
        most = Math.max(most, concurrent);
        await new Promise((resolve) => setTimeout(resolve, 15));
        concurrent -= 1;
        return gaveUp;
      },
    } as { run(): Promise<ReconcileReport> };
    const metrics = new PrometheusMetrics();
    const failures: unknown[] = [];
    const background = repeatInBackground(reconcile, 5, (report) => report.operations.forEach((entry) => metrics.countReconciled(entry.result)), (error) => failures.push(error));
    await new Promise((resolve) => setTimeout(resolve, 120));
    await background.stop();
    const stoppedAt = runs;
    await new Promise((resolve) => setTimeout(resolve, 40));

    expect(runs).toBeGreaterThanOrEqual(3);
    expect(runs).toBe(stoppedAt);
    expect(most).toBe(1);
    expect(failures).toEqual([]);
    expect((await metrics.render()).body).toContain(`reconcile_operations_total{result="gave_up"} ${runs}`);
  });

  it('reports a failed run and keeps going', async () => {
    let runs = 0;
    const reconcile = { run: async () => (runs += 1) === 1 ? Promise.reject(new Error('database down')) : gaveUp } as never;
    const failures: unknown[] = [];
    const background = repeatInBackground(reconcile, 5, () => undefined, (error) => failures.push(error));
    // Waits for the second run rather than a fixed time: a loaded machine may take long between timers.
    for (const started = Date.now(); runs < 2 && Date.now() - started < 5_000; ) await new Promise((resolve) => setTimeout(resolve, 5));
    await background.stop();
    expect(failures).toEqual([new Error('database down')]);
    expect(runs).toBeGreaterThan(1);
  });
});
