import { randomUUID } from 'node:crypto';
import type { InvoiceQuery, InvoiceRecord } from '../../../application/invoice-record';
import type { LedgerEntry } from '../../../application/ports';
import { parseApiKeyId, parseIdempotencyKey, parseOperationId, type AppId, type InvoiceId, type TenantId } from '../../../domain/ids';
import { newAppId, newTenantId, newUserId } from './store-fixtures';
import { forEachStore } from './store-worlds';

forEachStore('Invoice rows (written with the ledger, read by InvoiceReader)', (world) => {
  let appId: AppId;
  let tenantId: TenantId;
  const userId = newUserId();
  let serial = 0;

  beforeEach(() => {
    appId = newAppId();
    tenantId = newTenantId();
  });

  const entryOf = (): LedgerEntry => ({
    id: randomUUID(), operationId: parseOperationId(randomUUID()), appId, apiKeyId: parseApiKeyId(randomUUID()), tenantId, userId,
    mode: 'payment', livemode: true, currency: 'eur', subtotal: 1000, tax: 190, total: 1190, idempotencyKey: parseIdempotencyKey('k'),
    startedAt: world().clock.now(),
  });

  /** Writes an invoice the way a charge does: with the settlement of its attempt. */
  async function charged(overrides: Partial<InvoiceRecord> = {}, at = world().clock.now()): Promise<InvoiceRecord> {
    serial += 1;
    const entry = entryOf();
    const record: InvoiceRecord = {
      id: `in_contract${String(serial).padStart(6, '0')}` as InvoiceId, appId, tenantId, userId: entry.userId, operationId: entry.operationId,
      idempotencyKey: entry.idempotencyKey, number: `C-${serial}`, status: 'paid', paymentStatus: 'succeeded', mode: 'payment', livemode: true,
      currency: 'eur', subtotal: 999_999_990_000, tax: 190, total: 999_999_990_190, amountPaid: 999_999_990_190, amountRefunded: 0,
      hostedInvoiceUrl: 'https://invoice.test/1', invoicePdf: null, paymentIntentId: 'pi_1', subscriptionId: null, billingReason: 'manual',
      subscriptionStatus: null, createdAt: at, updatedAt: at,
      ...overrides,
    };
    await world().store.chargeLedger.begin(entry);
    await world().store.chargeLedger.settle(entry.id, {
      outcome: 'succeeded', stripeInvoiceId: record.id, stripePaymentIntentId: 'pi_1', stripeSubscriptionId: null, declineCode: null, finishedAt: at,
    }, record);
    return record;
  }

  const list = (query: Partial<InvoiceQuery> = {}) =>
    world().store.invoices.list({ appId, tenantId, livemode: true, limit: 10, ...query });

  it('keeps every field exactly, and finds an invoice only through its own app and tenant', async () => {
    const invoice = await charged({ userId: newUserId(), subscriptionId: 'sub_1', mode: 'subscription', idempotencyKey: null });
    expect(await world().store.invoices.find(appId, tenantId, invoice.id)).toEqual(invoice);
    expect(await world().store.invoices.find(newAppId(), tenantId, invoice.id)).toBeUndefined();
    expect(await world().store.invoices.find(appId, newTenantId(), invoice.id)).toBeUndefined();
  });

  it('brings an invoice up to date, keeping when it was first written', async () => {
    const first = await charged({ status: 'open', paymentStatus: 'requires_action', amountPaid: 0 });
    const later = new Date(first.createdAt.getTime() + 60_000);
    const entry = entryOf();
    await world().store.chargeLedger.begin(entry);
    const current = { ...first, status: 'paid' as const, paymentStatus: 'succeeded' as const, amountPaid: first.total, createdAt: later, updatedAt: later };
    await world().store.chargeLedger.settle(entry.id, { outcome: 'succeeded', stripeInvoiceId: first.id, stripePaymentIntentId: null, stripeSubscriptionId: null, declineCode: null, finishedAt: later }, current);
    expect(await world().store.invoices.find(appId, tenantId, first.id)).toEqual({ ...current, createdAt: first.createdAt });
  });

  it('pages newest first by keyset, forwards and backwards, invoices of the same instant included', async () => {
    const at = world().clock.now();
    const written = [];
    for (let n = 0; n < 7; n += 1) written.push(await charged({}, new Date(at.getTime() + Math.floor(n / 3) * 1000)));
    const newestFirst = [...written].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1)).map((invoice) => invoice.id);
    const firstPage = await list({ limit: 3 });
    expect(firstPage).toEqual({ invoices: expect.any(Array), hasMore: true });
    expect(firstPage!.invoices.map((invoice) => invoice.id)).toEqual(newestFirst.slice(0, 3));
    const second = await list({ limit: 3, startingAfter: newestFirst[2] });
    expect(second!.invoices.map((invoice) => invoice.id)).toEqual(newestFirst.slice(3, 6));
    const last = await list({ limit: 3, startingAfter: newestFirst[5] });
    expect([last!.invoices.map((invoice) => invoice.id), last!.hasMore]).toEqual([newestFirst.slice(6), false]);
    const back = await list({ limit: 2, endingBefore: newestFirst[5] });
    expect([back!.invoices.map((invoice) => invoice.id), back!.hasMore]).toEqual([newestFirst.slice(3, 5), true]);
    const start = await list({ limit: 5, endingBefore: newestFirst[2] });
    expect([start!.invoices.map((invoice) => invoice.id), start!.hasMore]).toEqual([newestFirst.slice(0, 2), false]);
  });

  it('filters by mode, member and status, and refuses a cursor it does not list', async () => {
    const member = newUserId();
    const open = await charged({ status: 'open', userId: member });
    const test = await charged({ livemode: false });
    await charged();
    expect((await list({ status: 'open' }))!.invoices.map((invoice) => invoice.id)).toEqual([open.id]);
    expect((await list({ userId: member }))!.invoices.map((invoice) => invoice.id)).toEqual([open.id]);
    expect((await list({ livemode: false }))!.invoices.map((invoice) => invoice.id)).toEqual([test.id]);
    expect(await list({ startingAfter: test.id })).toBeUndefined();
    expect(await list({ endingBefore: 'in_nowhere0' as InvoiceId })).toBeUndefined();
    expect(await world().store.invoices.list({ appId: newAppId(), tenantId, livemode: true, limit: 10 })).toEqual({ invoices: [], hasMore: false });
  });
});
