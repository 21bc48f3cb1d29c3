import type { ChargeLedger, LedgerEntry, LedgerRow, LedgerSettlement } from '../../application/ports';

export class InMemoryChargeLedger implements ChargeLedger {
  readonly rows: LedgerRow[] = [];

  async begin(entry: LedgerEntry): Promise<void> {
    if (this.rows.some((row) => row.id === entry.id)) throw new Error(`ledger row ${entry.id} exists`);
    this.rows.push({ ...entry, outcome: 'pending' });
  }

  async settle(id: string, settlement: LedgerSettlement): Promise<void> {
    const row = this.rows.find((candidate) => candidate.id === id);
    if (!row) throw new Error(`no ledger row ${id}`);
    Object.assign(row, settlement);
  }
}
