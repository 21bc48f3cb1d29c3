import type { ReconcileReport } from '../../application/admin/reconcile';

/** What a reconciliation did, in the terms a "nothing left to do" check compares. */
export function doneBy(report: ReconcileReport) {
  return {
    operations: report.operations,
    attempts: report.attempts,
    unsettled: report.unsettled,
    eventsAdded: report.events.caughtUp.reduce((sum, entry) => sum + entry.added, 0),
    eventErrors: report.events.caughtUp.flatMap((entry) => (entry.error ? [entry.error] : [])),
    eventsReopened: report.events.reopened,
    eventsProcessed: report.events.processed,
  };
}

export const NOTHING_DONE = { operations: [], attempts: [], unsettled: [], eventsAdded: 0, eventErrors: [], eventsReopened: 0, eventsProcessed: [] };
