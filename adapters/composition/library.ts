// The package's entry point for programs that embed the service: build the container, then drive the use case
// exactly as the REST and GraphQL adapters do: `container.get(CreateStripeInvoice).execute(command)`.
export { createContainer, openService, type PortImplementations, type Service } from './container';
export { loadConfig, ConfigurationError, type ServiceConfig } from './config';
export { Authenticate, type Credentials } from '../../application/authenticate';
export type { ApiKeyType, Caller } from '../../application/caller';
export {
  CreateStripeInvoice,
  CreateStripeInvoiceInput,
  type CreateStripeInvoiceCommand,
  type CreateStripeInvoiceError,
} from '../../application/create-stripe-invoice';
export type { ChargeStatus, InvoiceCharged } from '../../application/invoice-charged';
export {
  BillingProvider,
  stripeIdempotencyKey,
  type BilledInvoice,
  type ChargeRequest,
  type ChargeResult,
  type PaymentIntentView,
  type StartedSubscription,
  type StripeAccount,
} from '../../application/billing-provider';
export * from '../../application/ports';
export { Secret } from '../../application/secret';
export { UpstreamUnavailable } from '../../application/upstream-unavailable';
export * from '../../domain/errors';
export * from '../../domain/ids';
export { Tenant, parseCountryCode, type CountryCode } from '../../domain/tenant';
export { Price, type PriceProps } from '../../domain/price';
export { TaxPolicy, type TaxPolicyProps } from '../../domain/tax-policy';
export { Invoice } from '../../domain/invoice';
export { Money } from '../../domain/money';
export type { InvoiceMode, StripeMode } from '../../domain/modes';
