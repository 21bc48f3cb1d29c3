import { randomUUID } from 'node:crypto';
import type { InvoiceRecord } from '../../application/invoice-record';
import { openDatabase } from '../../adapters/sql/open-database';
import { invoiceRow } from '../../adapters/sql/invoice-rows';
import type { AppId, IdempotencyKey, InvoiceId, OperationId, TenantId, UserId } from '../../domain/ids';

/**
 * Writes `count` test-mode invoices of one tenant straight into the store, a second apart, newest last: what a busy
 * tenant's read side sits on. Answers the id of the one in the middle (a cursor deep inside the set).
 */
export async function fillInvoices(store: { dataDir: string; databaseUrl?: string | undefined }, owner: { appId: string; tenantId: string; userId: string }, count: number): Promise<string> {
  const database = await openDatabase({ url: store.databaseUrl, dataDir: store.dataDir });
  const start = Date.now() - count * 1000;
  const idOf = (n: number) => `in_bench${String(n).padStart(9, '0')}`;
  try {
    for (let first = 0; first < count; first += 1_000) {
      await database.db.transaction().execute(async (transaction) => {
        for (let n = first; n < Math.min(count, first + 1_000); n += 1) {
          const at = new Date(start + n * 1000);
          const record: InvoiceRecord = {
            id: idOf(n) as InvoiceId, appId: owner.appId as AppId, tenantId: owner.tenantId as TenantId, userId: owner.userId as UserId,
            operationId: randomUUID() as OperationId, idempotencyKey: `bench-${n}` as IdempotencyKey, number: `BENCH-${n}`,
            status: n % 10 === 0 ? 'open' : 'paid', paymentStatus: n % 10 === 0 ? 'requires_action' : 'succeeded', mode: 'payment',
            livemode: false, currency: 'usd', subtotal: 1999, tax: 380, total: 2379, amountPaid: n % 10 === 0 ? 0 : 2379, amountRefunded: 0,
            hostedInvoiceUrl: null, invoicePdf: null, paymentIntentId: `pi_bench${n}`, subscriptionId: null, billingReason: 'manual',
            subscriptionStatus: null, createdAt: at, updatedAt: at,
          };
          // Rows straight in: the read side is measured, not the events a charge would also give.
          await transaction.insertInto('invoices').values(invoiceRow(database.values, record)).execute();
        }
      });
    }
  } finally {
    await database.close();
  }
  return idOf(Math.floor(count / 2));
}
