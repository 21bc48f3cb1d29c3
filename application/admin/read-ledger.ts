import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { parseAppId, parseTenantId } from '../../domain/ids';
import { LedgerReader } from '../admin-ports';
import type { LedgerRow } from '../ports';
import { parseInput } from './parse-input';

const Filter = z.strictObject({
  appId: z.string().optional(),
  tenantId: z.string().optional(),
  limit: z.number().int().min(1).max(10_000).default(50),
});

/** The charge ledger for operators: one row per charge attempt, newest first. */
@injectable()
export class ReadLedger {
  constructor(@inject(LedgerReader) private readonly ledger: LedgerReader) {}

  list(input: z.input<typeof Filter>): Promise<LedgerRow[]> {
    const filter = parseInput(Filter, input);
    return this.ledger.list({
      appId: filter.appId === undefined ? undefined : parseAppId(filter.appId),
      tenantId: filter.tenantId === undefined ? undefined : parseTenantId(filter.tenantId),
      limit: filter.limit,
    });
  }
}
