import { Container, type ServiceIdentifier } from 'inversify';
import { ApiKeyRegistry, Apps, LedgerReader, StripeAccountSettings, TenantDirectory } from '../../application/admin-ports';
import { BillingProvider } from '../../application/billing-provider';
import { InvoiceReader } from '../../application/invoice-record';
import {
  EventsArrived,
  InvoiceLifecycleStore,
  StripeEventFeed,
  StripeEventInbox,
  StripeStateReader,
  StripeWebhookEndpoints,
  WebhookSecrets,
  WebhookVerifier,
} from '../../application/lifecycle/lifecycle-ports';
import { DEFAULT_LEASE, LeasePolicy } from '../../application/lease-policy';
import {
  ApiKeys,
  ChargeLedger,
  ChargeOutcomes,
  Clock,
  IdempotencyRecords,
  Ids,
  StripeAccounts,
  Tenants,
} from '../../application/ports';
import {
  AppEndpoints,
  DeliveryPolicy,
  STANDARD_DELIVERY_POLICY,
  WebhookOutbox,
  WebhookSender,
  WebhookSigner,
} from '../../application/outbound/outbound-ports';
import { RateLimitPolicy } from '../../application/rate-limit';
import { USE_CASES, type UseCases } from '../../application/use-cases';
import { RandomIds } from '../system/random-ids';
import { SystemClock } from '../system/system-clock';
import { DEFAULT_RETENTION, ExpiredRecords, RetentionPolicy } from '../../application/admin/purge-expired';

/**
 * The implementations of the ports that hold state or talk to Stripe. A store object usually plays several roles
 * (the SQL API key store is both `ApiKeys` for requests and `ApiKeyRegistry` for operators).
 */
export interface PortImplementations {
  apps: Apps;
  apiKeys: ApiKeys & ApiKeyRegistry;
  tenants: Tenants & TenantDirectory;
  stripeAccounts: StripeAccounts & StripeAccountSettings;
  idempotencyRecords: IdempotencyRecords;
  chargeLedger: ChargeLedger & LedgerReader;
  invoices: InvoiceReader & InvoiceLifecycleStore;
  webhookSecrets: WebhookSecrets;
  eventInbox: StripeEventInbox;
  billing: BillingProvider;
  /** What the lifecycle reads from Stripe, and the webhook endpoints it makes there. */
  stripeLifecycle: StripeStateReader & StripeEventFeed & StripeWebhookEndpoints;
  webhookVerifier: WebhookVerifier;
  /** Told when webhook deliveries put new events in the inbox (the background processor); nobody by default. */
  eventsArrived?: EventsArrived;
  /** Events to the apps: their endpoints, the outbox, how deliveries are sent and signed, and when retried. */
  appEndpoints: AppEndpoints;
  outbox: WebhookOutbox;
  webhookSender: WebhookSender;
  webhookSigner: WebhookSigner;
  deliveryPolicy?: DeliveryPolicy;
  /** What the store keeps only for a while, and for how long. */
  expiredRecords: ExpiredRecords;
  retention?: RetentionPolicy;
  clock?: Clock;
  ids?: Ids;
  rateLimit?: RateLimitPolicy;
  lease?: LeasePolicy;
  /** Where each create-invoice outcome is counted (metrics); nowhere by default. */
  chargeOutcomes?: ChargeOutcomes;
}

/** Each app's default request rate: Stripe's own live-mode limit is 100 requests per second. */
export const DEFAULT_RATE_LIMIT: RateLimitPolicy = { perSecond: 100, burst: 200 };

const UNCOUNTED: ChargeOutcomes = { count: () => undefined };
const NOBODY: EventsArrived = { notify: () => undefined };

/**
 * The composition root: binds every port, and builds one object of each use case (and of the steps they share). The
 * classes themselves need no binding: the container builds any injectable class it is asked for (autobind), once.
 */
export function createUseCases(ports: PortImplementations): UseCases {
  const container = new Container({ defaultScope: 'Singleton', autobind: true });
  container.bind(Apps).toConstantValue(ports.apps);
  container.bind(ApiKeys).toConstantValue(ports.apiKeys);
  container.bind(ApiKeyRegistry).toConstantValue(ports.apiKeys);
  container.bind(Tenants).toConstantValue(ports.tenants);
  container.bind(TenantDirectory).toConstantValue(ports.tenants);
  container.bind(StripeAccounts).toConstantValue(ports.stripeAccounts);
  container.bind(StripeAccountSettings).toConstantValue(ports.stripeAccounts);
  container.bind(IdempotencyRecords).toConstantValue(ports.idempotencyRecords);
  container.bind(ChargeLedger).toConstantValue(ports.chargeLedger);
  container.bind(LedgerReader).toConstantValue(ports.chargeLedger);
  container.bind(InvoiceReader).toConstantValue(ports.invoices);
  container.bind(InvoiceLifecycleStore).toConstantValue(ports.invoices);
  container.bind(WebhookSecrets).toConstantValue(ports.webhookSecrets);
  container.bind(StripeEventInbox).toConstantValue(ports.eventInbox);
  container.bind(StripeStateReader).toConstantValue(ports.stripeLifecycle);
  container.bind(StripeEventFeed).toConstantValue(ports.stripeLifecycle);
  container.bind(StripeWebhookEndpoints).toConstantValue(ports.stripeLifecycle);
  container.bind(WebhookVerifier).toConstantValue(ports.webhookVerifier);
  container.bind(EventsArrived).toConstantValue(ports.eventsArrived ?? NOBODY);
  container.bind(AppEndpoints).toConstantValue(ports.appEndpoints);
  container.bind(WebhookOutbox).toConstantValue(ports.outbox);
  container.bind(WebhookSender).toConstantValue(ports.webhookSender);
  container.bind(WebhookSigner).toConstantValue(ports.webhookSigner);
  container.bind(DeliveryPolicy).toConstantValue(ports.deliveryPolicy ?? STANDARD_DELIVERY_POLICY);
  container.bind(BillingProvider).toConstantValue(ports.billing);
  container.bind(Clock).toConstantValue(ports.clock ?? new SystemClock());
  container.bind(Ids).toConstantValue(ports.ids ?? new RandomIds());
  container.bind(RateLimitPolicy).toConstantValue(ports.rateLimit ?? DEFAULT_RATE_LIMIT);
  container.bind(LeasePolicy).toConstantValue(ports.lease ?? DEFAULT_LEASE);
  container.bind(ChargeOutcomes).toConstantValue(ports.chargeOutcomes ?? UNCOUNTED);
  container.bind(ExpiredRecords).toConstantValue(ports.expiredRecords);
  container.bind(RetentionPolicy).toConstantValue(ports.retention ?? DEFAULT_RETENTION);
  const entries = Object.entries(USE_CASES).map(([name, useCase]) => [name, container.get(useCase as ServiceIdentifier<unknown>)]);
  return Object.freeze(Object.fromEntries(entries)) as UseCases;
}
