import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { Forbidden, ValidationFailed } from '../domain/errors';
import { parseInvoiceId, parseTenantId, parseUserId, type TenantId } from '../domain/ids';
import type { Caller } from './caller';
import { NotFound } from './errors';
import { count, flag, parsedBy, validated } from './input';
import { INVOICE_STATUSES, InvoiceReader, type InvoicePage, type InvoiceRecord } from './invoice-record';
import { TenantAccess } from './tenant-access';

export const MAX_PAGE = 100;

/** What a list of a tenant's invoices may ask: the Stripe-style parameters of the REST query string. */
export const InvoiceListQuery = z
  .strictObject({
    test: flag.default(false).meta({ description: 'true: test-mode invoices; false (default): live ones.' }),
    userId: parsedBy(parseUserId, 'Only the invoices made for this member (UUID).').optional(),
    status: z.enum(INVOICE_STATUSES).optional().meta({ description: "Only invoices in this Stripe status." }),
    limit: count.pipe(z.number().min(1).max(MAX_PAGE)).default(10).meta({ description: `1–${MAX_PAGE}, default 10.` }),
    startingAfter: parsedBy(parseInvoiceId, 'The page after this invoice (newest first).').optional(),
    endingBefore: parsedBy(parseInvoiceId, 'The page before this invoice.').optional(),
  })
  .refine((query) => !(query.startingAfter && query.endingBefore), { message: 'give startingAfter or endingBefore, not both' });
export type InvoiceListQuery = z.input<typeof InvoiceListQuery>;

/** Every error the reads throw on purpose; adapters derive their error tables from it. */
export const READ_INVOICES_ERRORS = [ValidationFailed, Forbidden, NotFound] as const;

/**
 * A tenant's invoices as the service keeps them (never a Stripe call per read), for a read or a write key: one
 * page, newest first, or one invoice. Another app's tenant and an unknown one get the same answer; an invoice of
 * another tenant or app is the same NotFound as an unknown one.
 */
@injectable()
export class ReadInvoices {
  constructor(
    @inject(TenantAccess) private readonly access: TenantAccess,
    @inject(InvoiceReader) private readonly invoices: InvoiceReader,
  ) {}

  /** The tenant, if this caller may read it (GraphQL's `tenant` field, whose invoices are listed from it). */
  async tenant(caller: Caller, tenantId: string): Promise<{ id: TenantId }> {
    const tenant = await this.access.require(caller, parseTenantId(tenantId));
    return { id: tenant.id };
  }

  async list(caller: Caller, tenantId: string, query: unknown): Promise<InvoicePage> {
    const tenant = await this.access.require(caller, parseTenantId(tenantId));
    const { test, ...page } = validated(InvoiceListQuery, query ?? {}, 'query', '(query)');
    const found = await this.invoices.list({ appId: caller.appId, tenantId: tenant.id, livemode: !test, ...page });
    if (!found) {
      const cursor = page.startingAfter ? 'startingAfter' : 'endingBefore';
      throw new ValidationFailed('invalid_request', `${cursor}: no invoice of this tenant in ${test ? 'test' : 'live'} mode has that id.`, [
        { path: cursor, message: 'no invoice of this tenant and mode has that id' },
      ]);
    }
    return found;
  }

  async get(caller: Caller, tenantId: string, invoiceId: string): Promise<InvoiceRecord> {
    const tenant = await this.access.require(caller, parseTenantId(tenantId));
    const id = parseInvoiceId(invoiceId);
    const invoice = await this.invoices.find(caller.appId, tenant.id, id);
    if (!invoice) throw new NotFound('invoice', id);
    return invoice;
  }
}
