import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { SqlValues } from './sql-values';

// Versioned migrations, applied in name order at start-up. Never edit one that has shipped: add the next.
function initial(values: SqlValues): Migration {
  const { time, boolean, bigint } = values.types;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('apps')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('name', 'text', (column) => column.notNull())
        .addColumn('created_at', time, (column) => column.notNull())
        .execute();
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('app_id', 'text', (column) => column.notNull().references('apps.id'))
        .addColumn('type', 'text', (column) => column.notNull().check(sql`type in ('read', 'write')`))
        .addColumn('digest', 'text', (column) => column.notNull().unique())
        .addColumn('created_at', time, (column) => column.notNull())
        .addColumn('expires_at', time)
        .addColumn('revoked_at', time)
        .addColumn('last_used_at', time)
        .execute();
      await db.schema.createIndex('api_keys_app').on('api_keys').column('app_id').execute();
      await db.schema
        .createTable('stripe_accounts')
        .addColumn('app_id', 'text', (column) => column.notNull().references('apps.id'))
        .addColumn('mode', 'text', (column) => column.notNull().check(sql`mode in ('live', 'test')`))
        .addColumn('sealed_key', 'text', (column) => column.notNull())
        .addColumn('hint', 'text', (column) => column.notNull())
        .addColumn('updated_at', time, (column) => column.notNull())
        .addPrimaryKeyConstraint('stripe_accounts_pk', ['app_id', 'mode'])
        .execute();
      await db.schema
        .createTable('tenants')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('app_id', 'text', (column) => column.notNull().references('apps.id'))
        .addColumn('billing_country', 'text')
        .addColumn('live_customer', 'text')
        .addColumn('test_customer', 'text')
        .addColumn('created_at', time, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('tenants_app').on('tenants').column('app_id').execute();
      await db.schema
        .createTable('tenant_members')
        .addColumn('tenant_id', 'text', (column) => column.notNull().references('tenants.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addPrimaryKeyConstraint('tenant_members_pk', ['tenant_id', 'user_id'])
        .execute();
      await db.schema
        .createTable('idempotency_records')
        .addColumn('app_id', 'text', (column) => column.notNull())
        .addColumn('key', 'text', (column) => column.notNull())
        .addColumn('fingerprint', 'text', (column) => column.notNull())
        .addColumn('operation_id', 'text', (column) => column.notNull())
        .addColumn('lease_token', 'text', (column) => column.notNull())
        .addColumn('lease_until', time, (column) => column.notNull())
        .addColumn('outcome', 'text')
        .addColumn('created_at', time, (column) => column.notNull())
        .addColumn('completed_at', time)
        .addPrimaryKeyConstraint('idempotency_records_pk', ['app_id', 'key'])
        .execute();
      await db.schema
        .createTable('charge_ledger')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('operation_id', 'text', (column) => column.notNull())
        .addColumn('app_id', 'text', (column) => column.notNull())
        .addColumn('api_key_id', 'text', (column) => column.notNull())
        .addColumn('tenant_id', 'text', (column) => column.notNull())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('mode', 'text', (column) => column.notNull())
        .addColumn('livemode', boolean, (column) => column.notNull())
        .addColumn('currency', 'text', (column) => column.notNull())
        .addColumn('subtotal', bigint, (column) => column.notNull())
        .addColumn('tax', bigint, (column) => column.notNull())
        .addColumn('total', bigint, (column) => column.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('outcome', 'text', (column) => column.notNull())
        .addColumn('stripe_invoice_id', 'text')
        .addColumn('stripe_payment_intent_id', 'text')
        .addColumn('stripe_subscription_id', 'text')
        .addColumn('decline_code', 'text')
        .addColumn('started_at', time, (column) => column.notNull())
        .addColumn('finished_at', time)
        .execute();
      await db.schema.createIndex('charge_ledger_app').on('charge_ledger').columns(['app_id', 'started_at']).execute();
      await db.schema.createIndex('charge_ledger_tenant').on('charge_ledger').columns(['tenant_id', 'started_at']).execute();
      await db.schema.createIndex('charge_ledger_operation').on('charge_ledger').column('operation_id').execute();
    },
  };
}

/** Recovery points: how far each operation got at Stripe, and the request, so that it can be finished later. */
const recoveryPoints: Migration = {
  async up(db: Kysely<unknown>) {
    const table = () => db.schema.alterTable('idempotency_records');
    await table().addColumn('recovery_point', 'text', (column) => column.notNull().defaultTo('started')).execute();
    await table().addColumn('stripe_invoice_id', 'text').execute();
    await table().addColumn('stripe_subscription_id', 'text').execute();
    await table().addColumn('stored_request', 'text').execute();
    await db.schema.createIndex('idempotency_records_lease').on('idempotency_records').column('lease_until').execute();
    await db.schema.createIndex('charge_ledger_outcome').on('charge_ledger').columns(['outcome', 'started_at']).execute();
  },
};

/** A charge that starts over (Stripe lost its draft) derives new Stripe keys: how many times it did is kept. */
const restarts: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('idempotency_records').addColumn('stripe_restarts', 'integer', (column) => column.notNull().defaultTo(0)).execute();
  },
};

/** One row per invoice a charge created, kept current: what the read API serves, with an index per access path. */
function invoices(values: SqlValues): Migration {
  const { time, boolean, bigint } = values.types;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('invoices')
        .addColumn('app_id', 'text', (column) => column.notNull())
        .addColumn('id', 'text', (column) => column.notNull())
        .addColumn('tenant_id', 'text', (column) => column.notNull())
        .addColumn('user_id', 'text', (column) => column.notNull())
        .addColumn('operation_id', 'text', (column) => column.notNull())
        .addColumn('idempotency_key', 'text')
        .addColumn('number', 'text')
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('payment_status', 'text', (column) => column.notNull())
        .addColumn('mode', 'text', (column) => column.notNull())
        .addColumn('livemode', boolean, (column) => column.notNull())
        .addColumn('currency', 'text', (column) => column.notNull())
        .addColumn('subtotal', bigint, (column) => column.notNull())
        .addColumn('tax', bigint, (column) => column.notNull())
        .addColumn('total', bigint, (column) => column.notNull())
        .addColumn('amount_paid', bigint, (column) => column.notNull())
        .addColumn('amount_refunded', bigint, (column) => column.notNull())
        .addColumn('hosted_invoice_url', 'text')
        .addColumn('invoice_pdf', 'text')
        .addColumn('payment_intent_id', 'text')
        .addColumn('subscription_id', 'text')
        .addColumn('created_at', time, (column) => column.notNull())
        .addColumn('updated_at', time, (column) => column.notNull())
        .addPrimaryKeyConstraint('invoices_pk', ['app_id', 'id'])
        .execute();
      const index = (name: string, columns: string[]) => db.schema.createIndex(name).on('invoices').columns(columns).execute();
      await index('invoices_newest', ['app_id', 'tenant_id', 'livemode', 'created_at', 'id']);
      await index('invoices_by_status', ['app_id', 'tenant_id', 'livemode', 'status', 'created_at', 'id']);
      await index('invoices_by_user', ['app_id', 'tenant_id', 'livemode', 'user_id', 'created_at', 'id']);
    },
  };
}

/**
 * The invoice's later life: renewals and subscription status on the invoices; webhook signing secrets (sealed);
 * the inbox of Stripe events, unique per app and event id, with a partial index of what is still to process; and
 * how far each app and mode has been caught up from Stripe's event list.
 */
function lifecycle(values: SqlValues): Migration {
  const { time } = values.types;
  return {
    async up(db: Kysely<unknown>) {
      const invoices = () => db.schema.alterTable('invoices');
      await invoices().addColumn('billing_reason', 'text').execute();
      await invoices().addColumn('subscription_status', 'text').execute();
      await invoices().addColumn('subscription_synced_at', time).execute();
      await db.schema.createIndex('invoices_by_payment_intent').on('invoices').columns(['app_id', 'payment_intent_id']).execute();
      await db.schema.createIndex('invoices_by_subscription').on('invoices').columns(['app_id', 'subscription_id', 'created_at']).execute();
      await db.schema
        .createTable('webhook_secrets')
        .addColumn('app_id', 'text', (column) => column.notNull())
        .addColumn('mode', 'text', (column) => column.notNull().check(sql`mode in ('live', 'test')`))
        .addColumn('sealed_secret', 'text', (column) => column.notNull())
        .addColumn('hint', 'text', (column) => column.notNull())
        .addColumn('endpoint_id', 'text')
        .addColumn('updated_at', time, (column) => column.notNull())
        .addPrimaryKeyConstraint('webhook_secrets_pk', ['app_id', 'mode'])
        .execute();
      await db.schema
        .createTable('stripe_events')
        .addColumn('app_id', 'text', (column) => column.notNull())
        .addColumn('event_id', 'text', (column) => column.notNull())
        .addColumn('mode', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('created_at', time, (column) => column.notNull())
        .addColumn('received_at', time, (column) => column.notNull())
        .addColumn('invoice_id', 'text')
        .addColumn('payment_intent_id', 'text')
        .addColumn('subscription_id', 'text')
        .addColumn('operation_id', 'text')
        .addColumn('payload', 'text', (column) => column.notNull())
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('next_attempt_at', time, (column) => column.notNull())
        .addColumn('lease_until', time)
        .addColumn('processed_at', time)
        .addColumn('outcome', 'text')
        .addColumn('last_error', 'text')
        .addPrimaryKeyConstraint('stripe_events_pk', ['app_id', 'event_id'])
        .execute();
      await db.schema
        .createIndex('stripe_events_due')
        .on('stripe_events')
        .columns(['next_attempt_at', 'created_at'])
        .where(sql.ref('processed_at'), 'is', null)
        .execute();
      await db.schema
        .createTable('stripe_event_cursors')
        .addColumn('app_id', 'text', (column) => column.notNull())
        .addColumn('mode', 'text', (column) => column.notNull())
        .addColumn('caught_up_until', time, (column) => column.notNull())
        .addPrimaryKeyConstraint('stripe_event_cursors_pk', ['app_id', 'mode'])
        .execute();
    },
  };
}

/**
 * Events for the apps: the outbox (a database sequence orders them), the apps' endpoints and their sealed secrets
 * (two during a rotation), one delivery row per event and endpoint, and every attempt.
 */
function outbound(values: SqlValues): Migration {
  const { time, bigint } = values.types;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('app_events')
        .addColumn('seq', values.dialect === 'postgres' ? 'bigserial' : 'integer', (column) =>
          values.dialect === 'postgres' ? column.primaryKey() : column.primaryKey().autoIncrement(),
        )
        .addColumn('id', 'text', (column) => column.notNull().unique())
        .addColumn('app_id', 'text', (column) => column.notNull())
        .addColumn('type', 'text', (column) => column.notNull())
        .addColumn('body', 'text', (column) => column.notNull())
        .addColumn('created_at', time, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('app_events_by_app').on('app_events').columns(['app_id', 'created_at']).execute();
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('app_id', 'text', (column) => column.notNull())
        .addColumn('url', 'text', (column) => column.notNull())
        .addColumn('event_types', 'text')
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('disabled_reason', 'text')
        .addColumn('disabled_at', time)
        .addColumn('failing_since', time)
        .addColumn('created_at', time, (column) => column.notNull())
        .execute();
      await db.schema.createIndex('webhook_endpoints_by_app').on('webhook_endpoints').column('app_id').execute();
      await db.schema
        .createTable('webhook_endpoint_secrets')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('endpoint_id', 'text', (column) => column.notNull())
        .addColumn('sealed_secret', 'text', (column) => column.notNull())
        .addColumn('created_at', time, (column) => column.notNull())
        .addColumn('expires_at', time)
        .execute();
      await db.schema.createIndex('webhook_endpoint_secrets_by_endpoint').on('webhook_endpoint_secrets').column('endpoint_id').execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('endpoint_id', 'text', (column) => column.notNull())
        .addColumn('event_seq', bigint, (column) => column.notNull())
        .addColumn('event_id', 'text', (column) => column.notNull())
        .addColumn('app_id', 'text', (column) => column.notNull())
        .addColumn('status', 'text', (column) => column.notNull())
        .addColumn('attempts', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('next_attempt_at', time, (column) => column.notNull())
        .addColumn('lease_until', time)
        .addColumn('delivered_at', time)
        .addColumn('created_at', time, (column) => column.notNull())
        .addPrimaryKeyConstraint('webhook_deliveries_pk', ['endpoint_id', 'event_seq'])
        .execute();
      await db.schema.createIndex('webhook_deliveries_order').on('webhook_deliveries').columns(['endpoint_id', 'status', 'event_seq']).execute();
      await db.schema
        .createIndex('webhook_deliveries_due')
        .on('webhook_deliveries')
        .columns(['next_attempt_at'])
        .where(sql.ref('status'), '=', 'pending')
        .execute();
      await db.schema.createIndex('webhook_deliveries_by_event').on('webhook_deliveries').columns(['app_id', 'event_id']).execute();
      await db.schema
        .createTable('webhook_attempts')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('event_id', 'text', (column) => column.notNull())
        .addColumn('endpoint_id', 'text', (column) => column.notNull())
        .addColumn('app_id', 'text', (column) => column.notNull())
        .addColumn('attempt', 'integer', (column) => column.notNull())
        .addColumn('at', time, (column) => column.notNull())
        .addColumn('status', 'integer')
        .addColumn('error', 'text')
        .addColumn('duration_ms', 'integer', (column) => column.notNull())
        .addColumn('response', 'text', (column) => column.notNull())
        .execute();
      await db.schema.createIndex('webhook_attempts_by_app').on('webhook_attempts').columns(['app_id', 'at']).execute();
    },
  };
}

/** Facts about the store itself, such as which master key it belongs to. */
const storeSettings: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('store_settings')
      .addColumn('name', 'text', (column) => column.primaryKey())
      .addColumn('value', 'text', (column) => column.notNull())
      .execute();
  },
};

/** The indexes the retention's purges walk, oldest first. */
const retention: Migration = {
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.createIndex('idempotency_records_completed').on('idempotency_records').column('completed_at').execute();
    await db.schema.createIndex('stripe_events_processed').on('stripe_events').column('processed_at').execute();
    await db.schema.createIndex('app_events_created').on('app_events').column('created_at').execute();
    await db.schema.createIndex('webhook_attempts_by_event').on('webhook_attempts').column('event_id').execute();
    await db.schema.createIndex('charge_ledger_finished').on('charge_ledger').column('finished_at').execute();
  },
};

/** PostgreSQL: the Stripe pacing's counts per account, shared by every instance (rate-limiter-flexible's table). */
function stripePacing(values: SqlValues): Migration {
  return {
    async up(db: Kysely<any>): Promise<void> {
      if (values.dialect !== 'postgres') return;
      await db.schema
        .createTable('stripe_pacing')
        .addColumn('key', 'varchar(255)', (column) => column.primaryKey())
        .addColumn('points', 'integer', (column) => column.notNull().defaultTo(0))
        .addColumn('expire', 'bigint')
        .execute();
    },
  };
}

export function migrations(values: SqlValues): MigrationProvider {
  return {
    getMigrations: async () => ({
      '0001_initial': initial(values),
      '0002_recovery_points': recoveryPoints,
      '0003_restarts': restarts,
      '0004_invoices': invoices(values),
      '0005_lifecycle': lifecycle(values),
      '0006_outbound': outbound(values),
      '0007_store_settings': storeSettings,
      '0008_retention': retention,
      '0009_stripe_pacing': stripePacing(values),
    }),
  };
}
