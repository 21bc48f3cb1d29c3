import type { LedgerFilter, LedgerReader } from '../../application/admin-ports';
import type { InvoiceRecord } from '../../application/invoice-record';
import type { ChargeLedger, IdempotencyRecords, KeyCompletion, LedgerEntry, LedgerRow, LedgerSettlement } from '../../application/ports';
import { InMemoryInvoices } from './in-memory-invoices';

export class InMemoryChargeLedger implements ChargeLedger, LedgerReader {
  readonly rows: LedgerRow[] = [];

  constructor(
    readonly invoices: InMemoryInvoices,
    private readonly records: IdempotencyRecords,
  ) {}

  async begin(entry: LedgerEntry): Promise<void> {
    if (this.rows.some((row) => row.id === entry.id)) throw new Error(`ledger row ${entry.id} exists`);
    this.rows.push({
      ...entry,
      outcome: 'pending',
      stripeInvoiceId: null,
      stripePaymentIntentId: null,
      stripeSubscriptionId: null,
      declineCode: null,
      finishedAt: null,
    });
  }

  async settle(id: string, settlement: LedgerSettlement, invoice?: InvoiceRecord, completion?: KeyCompletion): Promise<void> {
    const row = this.rows.find((candidate) => candidate.id === id);
    if (!row) throw new Error(`no ledger row ${id}`);
    Object.assign(row, settlement);
    if (invoice) await this.invoices.write(invoice);
    if (completion) await this.records.complete(completion);
  }

  async list(filter: LedgerFilter): Promise<LedgerRow[]> {
    return this.rows
      .filter(
        (row) =>
          (!filter.appId || row.appId === filter.appId) &&
          (!filter.tenantId || row.tenantId === filter.tenantId) &&
          (!filter.operationId || row.operationId === filter.operationId),
      )
      .sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1))
      .slice(0, filter.limit)
      .map((row) => ({ ...row }));
  }

  async unsettled(startedBefore: Date, limit: number): Promise<LedgerRow[]> {
    return this.rows
      .filter((row) => (row.outcome === 'pending' || row.outcome === 'unknown') && row.startedAt < startedBefore)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime())
      .slice(0, limit)
      .map((row) => ({ ...row }));
  }
}
