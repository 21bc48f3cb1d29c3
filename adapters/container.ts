import { Container } from 'inversify';
import { Authenticate } from '../application/authenticate';
import { BillingProvider } from '../application/billing-provider';
import { ChargeInvoice } from '../application/charge-invoice';
import { CreateStripeInvoice } from '../application/create-stripe-invoice';
import {
  ApiKeys,
  ChargeLedger,
  Clock,
  IdempotencyRecords,
  Ids,
  StripeAccounts,
  Tenants,
} from '../application/ports';
import { PrepareCharge } from '../application/prepare-charge';
import { RandomIds } from './system/random-ids';
import { SystemClock } from './system/system-clock';

/** The implementations of the ports that hold state or talk to Stripe. */
export interface PortImplementations {
  apiKeys: ApiKeys;
  tenants: Tenants;
  stripeAccounts: StripeAccounts;
  idempotencyRecords: IdempotencyRecords;
  chargeLedger: ChargeLedger;
  billing: BillingProvider;
  clock?: Clock;
  ids?: Ids;
}

/**
 * The composition root: binds every port and use case. The use cases are singletons, so REST, GraphQL and
 * in-process callers all drive the same object. Tests rebind single ports (`container.rebind(Clock)`).
 */
export function createContainer(ports: PortImplementations): Container {
  const container = new Container({ defaultScope: 'Singleton' });
  container.bind(ApiKeys).toConstantValue(ports.apiKeys);
  container.bind(Tenants).toConstantValue(ports.tenants);
  container.bind(StripeAccounts).toConstantValue(ports.stripeAccounts);
  container.bind(IdempotencyRecords).toConstantValue(ports.idempotencyRecords);
  container.bind(ChargeLedger).toConstantValue(ports.chargeLedger);
  container.bind(BillingProvider).toConstantValue(ports.billing);
  container.bind(Clock).toConstantValue(ports.clock ?? new SystemClock());
  container.bind(Ids).toConstantValue(ports.ids ?? new RandomIds());

  container.bind(Authenticate).toSelf();
  container.bind(PrepareCharge).toSelf();
  container.bind(ChargeInvoice).toSelf();
  container.bind(CreateStripeInvoice).toSelf();
  return container;
}
