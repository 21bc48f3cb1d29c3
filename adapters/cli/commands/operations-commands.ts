import { command, str, table } from '../command';

export const operationsCommands = [
  command({
    group: 'operations', name: 'reconcile',
    summary: 'Finish operations whose holder died (from their recovery point) and settle charge attempts left unknown',
    options: { limit: { type: 'string', value: 'n', description: 'at most this many of each (default 100)' } },
    run: (values, { reconcile }) => reconcile.run(Number(str(values, 'limit') ?? 100)),
    text: (report) =>
      [
        `Operations: ${report.operations.length}`,
        table(['KEY', 'OPERATION', 'RESULT', 'DETAIL'], report.operations.map((entry) => [entry.key, entry.operationId, entry.result, entry.detail])),
        `Attempts settled: ${report.attempts.length}`,
        table(['ATTEMPT', 'OPERATION', 'OUTCOME'], report.attempts.map((entry) => [entry.id, entry.operationId, entry.outcome])),
      ].join('\n'),
  }),
];
