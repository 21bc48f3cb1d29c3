import type { InvoiceRecord } from '../../../application/invoice-record';
import type { AppId, IdempotencyKey, InvoiceId, OperationId, TenantId, UserId } from '../../../domain/ids';
import { APP, KEYS, OTHER_APP, OUTSIDER, PRICES, TENANTS, USER, body } from '../../support/world';
import type { HttpWorld } from './http-world';

// One table for the read side: each row is run over REST and over GraphQL, which must give the same data.

export const CALLERS = {
  write: { 'x-api-key': KEYS.write, 'x-api-key-type': 'write', 'x-client-id': APP },
  read: { 'x-api-key': KEYS.read, 'x-api-key-type': 'read', 'x-client-id': APP },
  otherApp: { 'x-api-key': KEYS.otherAppWrite, 'x-api-key-type': 'write', 'x-client-id': OTHER_APP },
} as const;

/** Invoice `n` of the seeded set: live ones 1–12, test ones 21–23; ids sort as their age does. */
export const invoiceId = (n: number) => `in_seed${String(n).padStart(4, '0')}` as InvoiceId;

function record(n: number, overrides: Partial<InvoiceRecord> = {}): InvoiceRecord {
  const at = new Date(Date.UTC(2026, 0, 1, 0, n));
  return {
    id: invoiceId(n), appId: APP as AppId, tenantId: TENANTS.pays as TenantId, userId: USER as UserId,
    operationId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}` as OperationId, idempotencyKey: `order-${n}` as IdempotencyKey,
    number: `SEED-${n}`, status: 'paid', paymentStatus: 'succeeded', mode: 'payment', livemode: true, currency: 'usd',
    subtotal: 1999 * n, tax: 380 * n, total: 2379 * n, amountPaid: 2379 * n, amountRefunded: 0, hostedInvoiceUrl: `https://invoice.test/${n}`,
    invoicePdf: null, paymentIntentId: `pi_seed${n}`, subscriptionId: null, billingReason: 'manual', subscriptionStatus: null,
    createdAt: at, updatedAt: at, ...overrides,
  };
}

/** Twelve live invoices of the paying tenant (two of them OUTSIDER's, three open, one void), three in test mode, one of another tenant and one of another app. */
export function seedInvoices(world: HttpWorld): void {
  for (let n = 1; n <= 12; n += 1) {
    const status = n % 4 === 0 ? 'open' : n === 5 ? 'void' : 'paid';
    world.chargeLedger.invoices.write(record(n, { status, paymentStatus: status === 'open' ? 'requires_action' : status === 'void' ? 'failed' : 'succeeded', userId: n === 3 || n === 7 ? OUTSIDER : USER }));
  }
  for (const n of [21, 22, 23]) world.chargeLedger.invoices.write(record(n, { livemode: false }));
  world.chargeLedger.invoices.write(record(31, { tenantId: TENANTS.declines }));
  world.chargeLedger.invoices.write(record(41, { appId: OTHER_APP, tenantId: TENANTS.otherApps }));
}

export type ReadCall =
  | { kind: 'list'; tenantId?: string; query?: { test?: boolean; userId?: string; status?: string; limit?: number; startingAfter?: string; endingBefore?: string } }
  | { kind: 'get'; tenantId?: string; invoiceId: string }
  | { kind: 'preview'; tenantId?: string; input?: Record<string, unknown> };

export interface ReadScenario {
  name: string;
  caller?: keyof typeof CALLERS;
  call: ReadCall;
  expect:
    | { ids: number[]; hasMore: boolean }
    | { invoice: number }
    | { preview: { subtotal: number; tax: number; total: number } }
    | { status: number; code: string };
}

const seeded = (...numbers: number[]) => numbers;

export const READ_SCENARIOS: ReadScenario[] = [
  { name: 'the ten newest live invoices', call: { kind: 'list' }, expect: { ids: seeded(12, 11, 10, 9, 8, 7, 6, 5, 4, 3), hasMore: true } },
  { name: 'with a read key', caller: 'read', call: { kind: 'list', query: { limit: 3 } }, expect: { ids: seeded(12, 11, 10), hasMore: true } },
  { name: 'the test-mode ones', call: { kind: 'list', query: { test: true } }, expect: { ids: seeded(23, 22, 21), hasMore: false } },
  { name: "one member's", call: { kind: 'list', query: { userId: OUTSIDER } }, expect: { ids: seeded(7, 3), hasMore: false } },
  { name: 'the open ones', call: { kind: 'list', query: { status: 'open' } }, expect: { ids: seeded(12, 8, 4), hasMore: false } },
  { name: 'two open ones, and there are more', call: { kind: 'list', query: { status: 'open', limit: 2 } }, expect: { ids: seeded(12, 8), hasMore: true } },
  { name: 'the page after an invoice', call: { kind: 'list', query: { limit: 4, startingAfter: invoiceId(9) } }, expect: { ids: seeded(8, 7, 6, 5), hasMore: true } },
  { name: 'the last page', call: { kind: 'list', query: { limit: 4, startingAfter: invoiceId(4) } }, expect: { ids: seeded(3, 2, 1), hasMore: false } },
  { name: 'the page before an invoice', call: { kind: 'list', query: { limit: 3, endingBefore: invoiceId(6) } }, expect: { ids: seeded(9, 8, 7), hasMore: true } },
  { name: 'the first page, reached backwards', call: { kind: 'list', query: { limit: 5, endingBefore: invoiceId(9) } }, expect: { ids: seeded(12, 11, 10), hasMore: false } },
  { name: 'filtered, after a cursor', call: { kind: 'list', query: { status: 'paid', startingAfter: invoiceId(6), limit: 10 } }, expect: { ids: seeded(3, 2, 1), hasMore: false } },
  { name: 'a tenant with none', call: { kind: 'list', tenantId: TENANTS.noCard }, expect: { ids: [], hasMore: false } },
  { name: 'a cursor of another tenant', call: { kind: 'list', query: { startingAfter: invoiceId(31) } }, expect: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: "a cursor of another app's invoice", call: { kind: 'list', query: { startingAfter: invoiceId(41) } }, expect: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: 'a test cursor for live invoices', call: { kind: 'list', query: { startingAfter: invoiceId(21) } }, expect: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: 'both cursors', call: { kind: 'list', query: { startingAfter: invoiceId(9), endingBefore: invoiceId(2) } }, expect: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: 'a limit of 0', call: { kind: 'list', query: { limit: 0 } }, expect: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: 'a limit of 101', call: { kind: 'list', query: { limit: 101 } }, expect: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: 'an unknown status', call: { kind: 'list', query: { status: 'lost' } }, expect: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: 'an unknown tenant', call: { kind: 'list', tenantId: 'e0000000-0000-4000-8000-0000000000ff' }, expect: { status: 403, code: 'FORBIDDEN' } },
  { name: "another app's tenant", call: { kind: 'list', tenantId: TENANTS.otherApps }, expect: { status: 403, code: 'FORBIDDEN' } },
  { name: 'one invoice', call: { kind: 'get', invoiceId: invoiceId(8) }, expect: { invoice: 8 } },
  { name: 'one invoice with a read key', caller: 'read', call: { kind: 'get', invoiceId: invoiceId(22) }, expect: { invoice: 22 } },
  { name: 'an unknown invoice', call: { kind: 'get', invoiceId: 'in_unknown0' }, expect: { status: 404, code: 'NOT_FOUND' } },
  { name: "another tenant's invoice", call: { kind: 'get', invoiceId: invoiceId(31) }, expect: { status: 404, code: 'NOT_FOUND' } },
  { name: "another app's invoice", call: { kind: 'get', invoiceId: invoiceId(41) }, expect: { status: 404, code: 'NOT_FOUND' } },
  { name: 'a malformed invoice id', call: { kind: 'get', invoiceId: 'pi_x' }, expect: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: "an invoice, asked through another app's tenant", call: { kind: 'get', tenantId: TENANTS.otherApps, invoiceId: invoiceId(41) }, expect: { status: 403, code: 'FORBIDDEN' } },
  { name: 'a preview', call: { kind: 'preview', input: body({ quantity: 3 }) }, expect: { preview: { subtotal: 5997, tax: 1139, total: 7136 } } },
  { name: 'a preview with a read key', caller: 'read', call: { kind: 'preview' }, expect: { preview: { subtotal: 1999, tax: 380, total: 2379 } } },
  { name: 'a tax-inclusive preview', call: { kind: 'preview', input: body({ price: PRICES.inclusive, taxRate: 'txr_vat19incl', quantity: 2 }) }, expect: { preview: { subtotal: 23800, tax: 3800, total: 23800 } } },
  { name: 'a preview of a price that does not fit the mode', call: { kind: 'preview', input: body({ price: PRICES.monthly }) }, expect: { status: 400, code: 'PRICE_NOT_USABLE' } },
  { name: 'a preview with a body tenant unlike the path', call: { kind: 'preview', input: body({ tenantId: TENANTS.declines }) }, expect: { status: 400, code: 'TENANT_MISMATCH' } },
  { name: 'a preview for a user outside the tenant', call: { kind: 'preview', input: body({ userId: OUTSIDER }) }, expect: { status: 403, code: 'FORBIDDEN' } },
  { name: "a preview for another app's tenant", call: { kind: 'preview', tenantId: TENANTS.otherApps }, expect: { status: 403, code: 'FORBIDDEN' } },
];
