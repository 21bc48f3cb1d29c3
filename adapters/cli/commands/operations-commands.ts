import { command, str, table } from '../command';

export const operationsCommands = [
  command({
    group: 'operations', name: 'reconcile',
    summary: 'Finish operations whose holder died, settle charge attempts left unknown, and apply Stripe events that never arrived',
    options: { limit: { type: 'string', value: 'n', description: 'at most this many of each (default 100)' } },
    run: (values, { reconcile }) => reconcile.run(Number(str(values, 'limit') ?? 100)),
    text: (report) =>
      [
        `Operations: ${report.operations.length}`,
        table(['KEY', 'OPERATION', 'RESULT', 'DETAIL'], report.operations.map((entry) => [entry.key, entry.operationId, entry.result, entry.detail])),
        `Attempts settled: ${report.attempts.length}`,
        table(['ATTEMPT', 'OPERATION', 'OUTCOME'], report.attempts.map((entry) => [entry.id, entry.operationId, entry.outcome])),
        ...(report.unsettled.length > 0
          ? [`Attempts left unsettled (a later run retries): ${report.unsettled.length}`, table(['ATTEMPT', 'OPERATION', 'ERROR'], report.unsettled.map((entry) => [entry.id, entry.operationId, entry.error]))]
          : []),
        'Stripe events caught up:',
        table(['APP', 'MODE', 'READ', 'NEW', 'ERROR'], report.events.caughtUp.map((entry) => [entry.appId, entry.mode, String(entry.read), String(entry.added), entry.error ?? ''])),
        `Events processed: ${report.events.processed.length}`,
      ].join('\n'),
  }),
  command({
    group: 'operations', name: 'purge',
    summary: 'Delete what the retention no longer keeps: old idempotency answers, processed events, the ledger only if LEDGER_RETENTION_DAYS is set',
    options: {},
    run: (_values, { purgeExpired }) => purgeExpired.run(),
    text: (report) =>
      `Purged ${report.idempotencyAnswers} idempotency answers, ${report.stripeEvents} Stripe events, ${report.appEvents} app events and ${report.ledgerRows} ledger rows.`,
  }),
];
