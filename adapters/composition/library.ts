// The package's entry point for programs that embed the service. `openService(loadConfig())` hands out the same
// use-case objects the REST, GraphQL and CLI adapters drive: `service.createStripeInvoice.execute(command)`.
export { openService, type Service, type ServiceOptions } from './open-service';
export { createUseCases, type PortImplementations } from './container';
export { loadConfig, ConfigurationError, type ServiceConfig } from './config';
export type { UseCases } from '../../application/use-cases';
export type { Credentials } from '../../application/authenticate';
export type { ApiKeyType, Caller } from '../../application/caller';
export {
  CREATE_STRIPE_INVOICE_ERRORS,
  type CreateStripeInvoiceCommand,
  type CreateStripeInvoiceError,
} from '../../application/create-stripe-invoice';
export { CreateStripeInvoiceInput } from '../../application/create-stripe-invoice-input';
export type { ChargeStatus, InvoiceCharged } from '../../application/invoice-charged';
export type {
  BilledInvoice,
  BillingOperation,
  BillingProvider,
  ChargeResult,
  InvoiceState,
  PaymentAttempt,
  PaymentIntentView,
  StartedSubscription,
  StripeAccount,
  SubscriptionState,
} from '../../application/billing-provider';
export type { ChargeProgress, RecoveryPoint } from '../../application/charge-progress';
export type { ReconcileReport } from '../../application/admin/reconcile';
export type * from '../../application/ports';
export type * from '../../application/admin-ports';
export type * from '../../application/lifecycle/lifecycle-ports';
export type { InvoiceLife } from '../../application/lifecycle/invoice-life';
export type { InvoiceRecord, InvoiceStatus, PaymentStatus, SubscriptionStatus } from '../../application/invoice-record';
export type { EventSubject, InboxEvent, StripeEvent } from '../../application/lifecycle/stripe-event';
export { StripeWebhookVerifier } from '../stripe/stripe-webhook-verifier';
export { StandardWebhookSigner } from '../webhooks/standard-webhook-signer';
export { HttpWebhookSender } from '../webhooks/http-webhook-sender';
export type * from '../../application/outbound/outbound-ports';
export { APP_EVENT_TYPES, type AppEventType } from '../../application/outbound/app-events';
export { Secret } from '../../application/secret';
export * from '../../application/errors';
export * from '../../domain/errors';
export * from '../../domain/ids';
export { Tenant, parseCountryCode, type CountryCode } from '../../domain/tenant';
export { Price, type PriceProps } from '../../domain/price';
export { TaxPolicy, type TaxPolicyProps } from '../../domain/tax-policy';
export { Invoice } from '../../domain/invoice';
export { Money } from '../../domain/money';
export type { InvoiceMode, StripeMode } from '../../domain/modes';
