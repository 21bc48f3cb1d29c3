import type { ColumnType, Generated } from 'kysely';

/** A time column: a Date on PostgreSQL, epoch milliseconds on SQLite (see SqlValues). */
type Time = ColumnType<Date | number, Date | number, Date | number>;
type MaybeTime = ColumnType<Date | number | null, Date | number | null | undefined, Date | number | null>;
type Flag = ColumnType<boolean | number, boolean | number, boolean | number>;
type Amount = ColumnType<number | string, number, number>;

export interface AppsTable {
  id: string;
  name: string;
  created_at: Time;
}

export interface ApiKeysTable {
  id: string;
  app_id: string;
  type: 'read' | 'write';
  /** SHA-256 of the key, hex: the plaintext is never stored. */
  digest: string;
  created_at: Time;
  expires_at: MaybeTime;
  revoked_at: MaybeTime;
  last_used_at: MaybeTime;
}

export interface StripeAccountsTable {
  app_id: string;
  mode: 'live' | 'test';
  /** AES-256-GCM of the secret key, with the app and mode bound as associated data. */
  sealed_key: string;
  hint: string;
  updated_at: Time;
}

export interface TenantsTable {
  id: string;
  app_id: string;
  billing_country: string | null;
  live_customer: string | null;
  test_customer: string | null;
  created_at: Time;
}

export interface TenantMembersTable {
  tenant_id: string;
  user_id: string;
}

export interface IdempotencyRecordsTable {
  app_id: string;
  key: string;
  fingerprint: string;
  operation_id: string;
  lease_token: string;
  lease_until: Time;
  /** The final outcome as JSON; null while the operation is unfinished. */
  outcome: string | null;
  created_at: Time;
  completed_at: MaybeTime;
  recovery_point: ColumnType<string, string | undefined, string>;
  stripe_invoice_id: string | null;
  stripe_subscription_id: string | null;
  /** How many times the charge started over (ChargeProgress.restarts). */
  stripe_restarts: ColumnType<number, number | undefined, number>;
  /** The request and caller as JSON, for finishing the operation without its caller. */
  stored_request: string | null;
}

export interface ChargeLedgerTable {
  id: string;
  operation_id: string;
  app_id: string;
  api_key_id: string;
  tenant_id: string;
  user_id: string;
  mode: 'payment' | 'subscription';
  livemode: Flag;
  currency: string;
  subtotal: Amount;
  tax: Amount;
  total: Amount;
  idempotency_key: string | null;
  outcome: string;
  stripe_invoice_id: string | null;
  stripe_payment_intent_id: string | null;
  stripe_subscription_id: string | null;
  decline_code: string | null;
  started_at: Time;
  finished_at: MaybeTime;
}

export interface InvoicesTable {
  app_id: string;
  id: string;
  tenant_id: string;
  user_id: string;
  operation_id: string;
  idempotency_key: string | null;
  number: string | null;
  status: string;
  payment_status: string;
  mode: 'payment' | 'subscription';
  livemode: Flag;
  currency: string;
  subtotal: Amount;
  tax: Amount;
  total: Amount;
  amount_paid: Amount;
  amount_refunded: Amount;
  hosted_invoice_url: string | null;
  invoice_pdf: string | null;
  payment_intent_id: string | null;
  subscription_id: string | null;
  billing_reason: string | null;
  subscription_status: string | null;
  subscription_synced_at: MaybeTime;
  created_at: Time;
  /** When the row's content was read from Stripe: a write only replaces an older reading. */
  updated_at: Time;
}

export interface WebhookSecretsTable {
  app_id: string;
  mode: 'live' | 'test';
  /** AES-256-GCM of the signing secret, with the app and mode bound as associated data. */
  sealed_secret: string;
  hint: string;
  endpoint_id: string | null;
  updated_at: Time;
}

export interface StripeEventsTable {
  app_id: string;
  event_id: string;
  mode: 'live' | 'test';
  type: string;
  /** When Stripe created the event. */
  created_at: Time;
  received_at: Time;
  invoice_id: string | null;
  payment_intent_id: string | null;
  subscription_id: string | null;
  operation_id: string | null;
  payload: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Time;
  lease_until: MaybeTime;
  processed_at: MaybeTime;
  outcome: string | null;
  last_error: string | null;
}

export interface StripeEventCursorsTable {
  app_id: string;
  mode: 'live' | 'test';
  caught_up_until: Time;
}

export interface AppEventsTable {
  /** The order events were created in (a database sequence): each endpoint receives them in this order. */
  seq: Generated<number | string>;
  id: string;
  app_id: string;
  type: string;
  body: string;
  created_at: Time;
}

export interface WebhookEndpointsTable {
  id: string;
  app_id: string;
  url: string;
  /** JSON array of event types; null: all. */
  event_types: string | null;
  status: 'enabled' | 'disabled';
  disabled_reason: string | null;
  disabled_at: MaybeTime;
  failing_since: MaybeTime;
  created_at: Time;
}

export interface WebhookEndpointSecretsTable {
  id: string;
  endpoint_id: string;
  /** AES-256-GCM, bound to the endpoint. */
  sealed_secret: string;
  created_at: Time;
  /** Set when a rotation replaced it: it signs beside the new one until then. */
  expires_at: MaybeTime;
}

export interface WebhookDeliveriesTable {
  endpoint_id: string;
  event_seq: ColumnType<number | string, number, number>;
  event_id: string;
  app_id: string;
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: Time;
  lease_until: MaybeTime;
  delivered_at: MaybeTime;
  /** When the event was created (for the age of the backlog). */
  created_at: Time;
}

export interface WebhookAttemptsTable {
  id: string;
  event_id: string;
  endpoint_id: string;
  app_id: string;
  attempt: number;
  at: Time;
  status: number | null;
  error: string | null;
  duration_ms: number;
  response: string;
}

export interface StoreSettingsTable {
  name: string;
  value: string;
}

export interface Schema {
  apps: AppsTable;
  api_keys: ApiKeysTable;
  stripe_accounts: StripeAccountsTable;
  tenants: TenantsTable;
  tenant_members: TenantMembersTable;
  idempotency_records: IdempotencyRecordsTable;
  invoices: InvoicesTable;
  charge_ledger: ChargeLedgerTable;
  webhook_secrets: WebhookSecretsTable;
  stripe_events: StripeEventsTable;
  stripe_event_cursors: StripeEventCursorsTable;
  app_events: AppEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_endpoint_secrets: WebhookEndpointSecretsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  store_settings: StoreSettingsTable;
}
