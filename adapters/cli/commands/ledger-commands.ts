import { command, iso, str, table } from '../command';

export const ledgerCommands = [
  command({
    group: 'ledger', name: 'list', summary: 'List charge attempts, newest first',
    options: {
      app: { type: 'string', value: 'id', description: 'only this app' },
      tenant: { type: 'string', value: 'id', description: 'only this tenant' },
      limit: { type: 'string', value: 'n', description: 'at most this many rows (default 50)' },
    },
    run: (values, { ledger }) => {
      const limit = str(values, 'limit');
      return ledger.list({ appId: str(values, 'app'), tenantId: str(values, 'tenant'), ...(limit === undefined ? {} : { limit: Number(limit) }) });
    },
    text: (rows) =>
      table(['STARTED', 'OUTCOME', 'MODE', 'LIVE', 'TOTAL', 'TENANT', 'INVOICE', 'PAYMENT INTENT', 'DECLINE'], rows.map((row) => [
        iso(row.startedAt), row.outcome, row.mode, row.livemode ? 'live' : 'test', `${row.total} ${row.currency}`, row.tenantId,
        row.stripeInvoiceId ?? '-', row.stripePaymentIntentId ?? '-', row.declineCode ?? '-',
      ])),
  }),
];
