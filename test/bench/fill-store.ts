import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import { invoiceRow } from '../../adapters/sql/invoice-rows';
import { openDatabase } from '../../adapters/sql/open-database';
import type { AppId, IdempotencyKey, InvoiceId, OperationId, TenantId, UserId } from '../../domain/ids';
import type { Schema } from '../../adapters/sql/sql-schema';

/**
 * Writes `count` finished charges of one tenant straight into the store, as months of traffic leave them: an
 * Idempotency-Key record with its stored answer (a PaymentIntent, as big as a real one), a ledger row, an invoice
 * row, and a processed Stripe event each. What "flat as the store grows" is measured against.
 */
export async function fillStore(store: { dataDir: string; databaseUrl?: string | undefined }, owner: { appId: string; tenantId: string; userId: string; keyId: string }, count: number): Promise<void> {
  const database = await openDatabase({ url: store.databaseUrl, dataDir: store.dataDir });
  const { values } = database;
  const start = Date.now() - count * 1000;
  const answer = (n: number) =>
    JSON.stringify({
      kind: 'charged',
      result: {
        status: 'succeeded',
        paymentIntent: {
          id: `pi_fill${n}`, status: 'succeeded', amount: 2379, currency: 'usd', clientSecret: `pi_fill${n}_secret_${'x'.repeat(24)}`,
          object: { id: `pi_fill${n}`, object: 'payment_intent', amount: 2379, amount_received: 2379, currency: 'usd', status: 'succeeded', customer: 'cus_fill', livemode: false, metadata: { operationId: randomUUID() }, payment_method: 'pm_fill', payment_method_types: ['card'], created: 1_764_000_000 + n, description: null, latest_charge: `ch_fill${n}` },
        },
        invoice: { id: `in_fill${n}`, number: `FILL-${n}`, status: 'paid', currency: 'usd', subtotal: 1999, tax: 380, total: 2379, amountPaid: 2379, hostedInvoiceUrl: `https://invoice.stripe.com/i/acct_fill/test_${n}`, invoicePdf: `https://pay.stripe.com/invoice/acct_fill/test_${n}/pdf`, livemode: false },
        subscription: null,
      },
    });
  const write = async (db: Kysely<Schema>, from: number, to: number) => {
    const rows = Array.from({ length: to - from }, (_, index) => {
      const n = from + index;
      const at = values.time(new Date(start + n * 1000));
      return { n, at, operationId: randomUUID() };
    });
    await db.insertInto('idempotency_records').values(rows.map(({ n, at, operationId }) => ({
      app_id: owner.appId, key: `fill-${n}`, fingerprint: '["fill"]', operation_id: operationId, lease_token: randomUUID(), lease_until: at,
      outcome: answer(n), created_at: at, completed_at: at, recovery_point: 'paid', stripe_invoice_id: `in_fill${n}`, stripe_subscription_id: null,
      stored_request: JSON.stringify({ request: { tenantId: owner.tenantId, userId: owner.userId, priceId: 'price_fill', taxRateId: 'txr_fill', mode: 'payment', quantity: 1, test: true } }),
    }))).execute();
    await db.insertInto('charge_ledger').values(rows.map(({ n, at, operationId }) => ({
      id: randomUUID(), operation_id: operationId, app_id: owner.appId, api_key_id: owner.keyId, tenant_id: owner.tenantId, user_id: owner.userId, mode: 'payment' as const,
      livemode: values.boolean(false), currency: 'usd', subtotal: 1999, tax: 380, total: 2379, idempotency_key: `fill-${n}`, outcome: 'succeeded',
      stripe_invoice_id: `in_fill${n}`, stripe_payment_intent_id: `pi_fill${n}`, stripe_subscription_id: null, decline_code: null, started_at: at, finished_at: at,
    }))).execute();
    await db.insertInto('invoices').values(rows.map(({ n, operationId }) => {
      const at = new Date(start + n * 1000);
      return invoiceRow(values, {
        id: `in_fill${n}` as InvoiceId, appId: owner.appId as AppId, tenantId: owner.tenantId as TenantId, userId: owner.userId as UserId,
        operationId: operationId as OperationId, idempotencyKey: `fill-${n}` as IdempotencyKey, number: `FILL-${n}`, status: 'paid', paymentStatus: 'succeeded',
        mode: 'payment', livemode: false, currency: 'usd', subtotal: 1999, tax: 380, total: 2379, amountPaid: 2379, amountRefunded: 0, hostedInvoiceUrl: null,
        invoicePdf: null, paymentIntentId: `pi_fill${n}`, subscriptionId: null, billingReason: 'manual', subscriptionStatus: null, createdAt: at, updatedAt: at,
      });
    })).execute();
    await db.insertInto('stripe_events').values(rows.map(({ n, at }) => ({
      app_id: owner.appId, event_id: `evt_fill${n}`, mode: 'test' as const, type: 'invoice.paid', created_at: at, received_at: at, invoice_id: `in_fill${n}`,
      payment_intent_id: `pi_fill${n}`, subscription_id: null, operation_id: null, payload: `{"id":"evt_fill${n}","type":"invoice.paid"}`, attempts: 1, next_attempt_at: at,
      lease_until: null, processed_at: at, outcome: 'applied', last_error: null,
    }))).execute();
  };
  try {
    // PostgreSQL takes at most 65 535 parameters per statement: 200 rows of the widest table stay well under.
    for (let first = 0; first < count; first += 2_000) {
      await database.db.transaction().execute(async (db) => {
        for (let from = first; from < Math.min(count, first + 2_000); from += 200) await write(db, from, Math.min(count, from + 200, first + 2_000));
      });
    }
    // A store that grew over months has its planner statistics; one filled a minute ago has not, until analyzed
    // (without it, PostgreSQL planned a keyset page 100 times slower in the first run).
    await sql`analyze`.execute(database.db);
  } finally {
    await database.close();
  }
}
