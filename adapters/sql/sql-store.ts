import type { Clock } from '../../application/ports';
import type { SqlDatabase } from './open-database';
import type { SecretBox } from './secret-box';
import { SqlApiKeys } from './sql-api-keys';
import { SqlApps } from './sql-apps';
import { SqlChargeLedger } from './sql-charge-ledger';
import { SqlIdempotencyRecords } from './sql-idempotency-records';
import { SqlInvoices } from './sql-invoices';
import { SqlStripeAccounts } from './sql-stripe-accounts';
import { SqlStripeEventInbox } from './sql-stripe-event-inbox';
import { SqlWebhookSecrets } from './sql-webhook-secrets';
import { SqlAppEndpoints } from './sql-app-endpoints';
import { SqlWebhookOutbox } from './sql-webhook-outbox';
import { SqlTenants } from './sql-tenants';
import { SqlExpiredRecords } from './sql-expired-records';

/** Every storage port on one open database. */
export function createSqlStore(database: SqlDatabase, box: SecretBox, clock: Clock) {
  const outbox = new SqlWebhookOutbox(database);
  const invoices = new SqlInvoices(database, outbox);
  const idempotencyRecords = new SqlIdempotencyRecords(database, clock);
  return {
    apps: new SqlApps(database),
    apiKeys: new SqlApiKeys(database, clock),
    stripeAccounts: new SqlStripeAccounts(database, box),
    tenants: new SqlTenants(database),
    idempotencyRecords,
    chargeLedger: new SqlChargeLedger(database, invoices, idempotencyRecords),
    invoices,
    webhookSecrets: new SqlWebhookSecrets(database, box),
    appEndpoints: new SqlAppEndpoints(database, box),
    outbox,
    eventInbox: new SqlStripeEventInbox(database),
    expiredRecords: new SqlExpiredRecords(database),
  };
}
export type SqlStore = ReturnType<typeof createSqlStore>;
