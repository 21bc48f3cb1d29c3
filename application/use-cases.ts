import { ConfigureStripe } from './admin/configure-stripe';
import { ManageApiKeys } from './admin/manage-api-keys';
import { ManageApps } from './admin/manage-apps';
import { ManageTenants } from './admin/manage-tenants';
import { ReadLedger } from './admin/read-ledger';
import { Reconcile } from './admin/reconcile';
import { Authenticate } from './authenticate';
import { CreateStripeInvoice } from './create-stripe-invoice';
import { CatchUpStripeEvents } from './lifecycle/catch-up-stripe-events';
import { ConfigureWebhooks } from './lifecycle/configure-webhooks';
import { ProcessStripeEvents } from './lifecycle/process-stripe-events';
import { ReceiveStripeEvent } from './lifecycle/receive-stripe-event';
import { DeliverAppEvents } from './outbound/deliver-app-events';
import { ManageAppEndpoints } from './outbound/manage-app-endpoints';
import { WebhookDeliveryLog } from './outbound/webhook-delivery-log';
import { PreviewStripeInvoice } from './preview-stripe-invoice';
import { RateLimit } from './rate-limit';
import { ReadInvoices } from './read-invoices';

/**
 * Every use case the driving adapters (HTTP, the CLI, the library) reach, by the name they reach it under. The
 * composition root builds one object of each; exposing another use case starts with one line here.
 */
import { PurgeExpired } from './admin/purge-expired';

export const USE_CASES = {
  authenticate: Authenticate,
  rateLimit: RateLimit,
  createStripeInvoice: CreateStripeInvoice,
  previewStripeInvoice: PreviewStripeInvoice,
  invoices: ReadInvoices,
  apps: ManageApps,
  apiKeys: ManageApiKeys,
  stripeKeys: ConfigureStripe,
  tenants: ManageTenants,
  ledger: ReadLedger,
  reconcile: Reconcile,
  receiveStripeEvent: ReceiveStripeEvent,
  processStripeEvents: ProcessStripeEvents,
  catchUpStripeEvents: CatchUpStripeEvents,
  webhooks: ConfigureWebhooks,
  appEndpoints: ManageAppEndpoints,
  deliverAppEvents: DeliverAppEvents,
  deliveries: WebhookDeliveryLog,
  purgeExpired: PurgeExpired,
} as const;

export type UseCases = { readonly [Name in keyof typeof USE_CASES]: InstanceType<(typeof USE_CASES)[Name]> };
