import type { InvoicePage, InvoiceQuery, InvoiceReader, InvoiceRecord, SubscriptionStatus } from '../../application/invoice-record';
import type { InvoiceLifecycleStore } from '../../application/lifecycle/lifecycle-ports';
import { appEventBody, invoiceEventTypes, subscriptionChanged } from '../../application/outbound/app-events';
import type { AppId, InvoiceId, TenantId } from '../../domain/ids';
import { InMemoryAppEndpoints, InMemoryWebhookOutbox } from './in-memory-outbound';

/** The invoice rows, held in memory; the ledger fake and the lifecycle write them, readers read them newest first. */
export class InMemoryInvoices implements InvoiceReader, InvoiceLifecycleStore {
  readonly rows = new Map<string, InvoiceRecord>();
  private readonly subscriptionReadAt = new Map<string, number>();

  constructor(readonly outbox: InMemoryWebhookOutbox = new InMemoryWebhookOutbox(new InMemoryAppEndpoints())) {}

  async write(invoice: InvoiceRecord): Promise<void> {
    const key = `${invoice.appId}/${invoice.id}`;
    const known = this.rows.get(key);
    if (known && known.updatedAt > invoice.updatedAt) return;
    if (!known && invoice.subscriptionStatus) this.subscriptionReadAt.set(key, invoice.updatedAt.getTime());
    const after = { ...invoice, createdAt: known?.createdAt ?? invoice.createdAt, subscriptionStatus: known ? known.subscriptionStatus : invoice.subscriptionStatus };
    this.rows.set(key, after);
    this.outbox.record(after.appId, invoiceEventTypes(known, after).map((type) => ({ type, body: appEventBody(type, after, after.updatedAt), createdAt: after.updatedAt })));
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
    const rows = [...this.rows.entries()].filter(([, row]) => row.appId === appId && row.subscriptionId === subscriptionId);
    const newestFirst = rows.map(([, row]) => row).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const previous = newestFirst.find((row) => row.subscriptionStatus !== null)?.subscriptionStatus ?? null;
    const newer = rows.some(([key]) => (this.subscriptionReadAt.get(key) ?? -Infinity) > readAt.getTime());
    for (const [key, row] of rows) {
      if ((this.subscriptionReadAt.get(key) ?? -Infinity) > readAt.getTime()) continue;
      this.subscriptionReadAt.set(key, readAt.getTime());
      this.rows.set(key, { ...row, subscriptionStatus: status });
    }
    if (rows.length === 0 || newer || !subscriptionChanged(previous, status)) return;
    const latest = { ...newestFirst[0]!, subscriptionStatus: status };
    const body = appEventBody('subscription.updated', latest, readAt, { id: subscriptionId, status, previousStatus: previous });
    this.outbox.record(appId, [{ type: 'subscription.updated', body, createdAt: readAt }]);
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
