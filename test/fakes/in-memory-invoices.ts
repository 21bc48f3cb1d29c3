import type { InvoicePage, InvoiceQuery, InvoiceReader, InvoiceRecord } from '../../application/invoice-record';
import type { AppId, InvoiceId, TenantId } from '../../domain/ids';

/** The invoice rows, held in memory; the ledger fake writes them, readers read them newest first. */
export class InMemoryInvoices implements InvoiceReader {
  readonly rows = new Map<string, InvoiceRecord>();

  write(invoice: InvoiceRecord): void {
    const key = `${invoice.appId}/${invoice.id}`;
    const known = this.rows.get(key);
    this.rows.set(key, { ...invoice, createdAt: known?.createdAt ?? invoice.createdAt });
  }

  async find(appId: AppId, tenantId: TenantId, id: InvoiceId): Promise<InvoiceRecord | undefined> {
    const found = this.rows.get(`${appId}/${id}`);
    return found?.tenantId === tenantId ? { ...found } : undefined;
  }

  async list(query: InvoiceQuery): Promise<InvoicePage | undefined> {
    const newestFirst = [...this.rows.values()]
      .filter((row) => row.appId === query.appId && row.tenantId === query.tenantId && row.livemode === query.livemode)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
    const cursorId = query.startingAfter ?? query.endingBefore;
    const at = cursorId === undefined ? -1 : newestFirst.findIndex((row) => row.id === cursorId);
    if (cursorId !== undefined && at < 0) return undefined;
    const matching = (row: InvoiceRecord) => (!query.userId || row.userId === query.userId) && (!query.status || row.status === query.status);
    if (query.endingBefore !== undefined) {
      const before = newestFirst.slice(0, at).filter(matching);
      return { invoices: before.slice(-query.limit).map((row) => ({ ...row })), hasMore: before.length > query.limit };
    }
    const after = newestFirst.slice(at + 1).filter(matching);
    return { invoices: after.slice(0, query.limit).map((row) => ({ ...row })), hasMore: after.length > query.limit };
  }
}
