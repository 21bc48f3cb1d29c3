import type { InvoicePage, InvoiceQuery, InvoiceReader, InvoiceRecord, SubscriptionStatus } from '../../application/invoice-record';
import type { InvoiceLifecycleStore } from '../../application/lifecycle/lifecycle-ports';
import type { AppId, InvoiceId, TenantId } from '../../domain/ids';

/** The invoice rows, held in memory; the ledger fake and the lifecycle write them, readers read them newest first. */
export class InMemoryInvoices implements InvoiceReader, InvoiceLifecycleStore {
  readonly rows = new Map<string, InvoiceRecord>();
  private readonly subscriptionReadAt = new Map<string, number>();

  async write(invoice: InvoiceRecord): Promise<void> {
    const key = `${invoice.appId}/${invoice.id}`;
    const known = this.rows.get(key);
    if (known && known.updatedAt > invoice.updatedAt) return;
    if (!known && invoice.subscriptionStatus) this.subscriptionReadAt.set(key, invoice.updatedAt.getTime());
    this.rows.set(key, {
      ...invoice,
      createdAt: known?.createdAt ?? invoice.createdAt,
      subscriptionStatus: known ? known.subscriptionStatus : invoice.subscriptionStatus,
    });
  }

  async byId(appId: AppId, id: InvoiceId): Promise<InvoiceRecord | undefined> {
    const found = this.rows.get(`${appId}/${id}`);
    return found && { ...found };
  }

  async byPaymentIntent(appId: AppId, paymentIntentId: string): Promise<InvoiceRecord | undefined> {
    const found = [...this.rows.values()].find((row) => row.appId === appId && row.paymentIntentId === paymentIntentId);
    return found && { ...found };
  }

  async firstOfSubscription(appId: AppId, subscriptionId: string): Promise<InvoiceRecord | undefined> {
    const found = [...this.rows.values()]
      .filter((row) => row.appId === appId && row.subscriptionId === subscriptionId)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
    return found && { ...found };
  }

  async setSubscriptionStatus(appId: AppId, subscriptionId: string, status: SubscriptionStatus, readAt: Date): Promise<void> {
    for (const [key, row] of this.rows) {
      if (row.appId !== appId || row.subscriptionId !== subscriptionId) continue;
      if ((this.subscriptionReadAt.get(key) ?? -Infinity) > readAt.getTime()) continue;
      this.subscriptionReadAt.set(key, readAt.getTime());
      this.rows.set(key, { ...row, subscriptionStatus: status });
    }
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
