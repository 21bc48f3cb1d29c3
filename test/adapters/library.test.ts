import * as library from '../../adapters/composition/library';
import { FixedClock } from '../fakes/fixed-clock';
import { InMemoryApiKeys } from '../fakes/in-memory-api-keys';
import { InMemoryApps } from '../fakes/in-memory-apps';
import { InMemoryBilling } from '../fakes/in-memory-billing';
import { InMemoryChargeLedger } from '../fakes/in-memory-charge-ledger';
import { InMemoryIdempotencyRecords } from '../fakes/in-memory-idempotency-records';
import { InMemoryStripeAccounts } from '../fakes/in-memory-stripe-accounts';
import { InMemoryTenants } from '../fakes/in-memory-tenants';
import { APP, KEYS, TENANTS, body, buildWorld } from '../support/world';

function ports() {
  return {
    apps: new InMemoryApps(),
    apiKeys: new InMemoryApiKeys(),
    tenants: new InMemoryTenants(),
    stripeAccounts: new InMemoryStripeAccounts(),
    idempotencyRecords: new InMemoryIdempotencyRecords(),
    chargeLedger: new InMemoryChargeLedger(),
    billing: new InMemoryBilling(),
  };
}

describe('the library entry point', () => {
  it('builds a container that hands out one shared use case object', () => {
    const container = library.createContainer(ports());
    const first = container.get(library.CreateStripeInvoice);
    expect(first).toBeInstanceOf(library.CreateStripeInvoice);
    expect(container.get(library.CreateStripeInvoice)).toBe(first);
    expect(container.get(library.Authenticate)).toBe(container.get(library.Authenticate));
  });

  it('binds the system clock and random UUIDs unless told otherwise', () => {
    const container = library.createContainer(ports());
    const now = container.get(library.Clock).now().getTime();
    expect(Math.abs(now - Date.now())).toBeLessThan(5_000);
    const ids = container.get(library.Ids);
    expect(ids.next()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ids.next()).not.toBe(ids.next());
  });

  it('lets a test rebind a port before the use case is built', () => {
    const container = library.createContainer(ports());
    const clock = new FixedClock(new Date('2030-01-01T00:00:00Z'));
    container.rebind(library.Clock).toConstantValue(clock);
    expect(container.get(library.Clock).now().toISOString()).toBe('2030-01-01T00:00:00.000Z');
  });

  it('authenticates and charges in-process, as an embedding program would', async () => {
    const { container } = buildWorld();
    const caller = await container.get(library.Authenticate).execute({ apiKey: KEYS.write, apiKeyType: 'write', clientId: APP });
    const result = await container.get(library.CreateStripeInvoice).execute({ caller, tenantId: TENANTS.pays, input: body() });
    expect(result.status).toBe('succeeded');
  });

  it('exports the typed errors with their contract codes', () => {
    expect(new library.NoPaymentMethod().code).toBe('NO_PAYMENT_METHOD');
    expect(new library.UpstreamUnavailable('unreachable', 'x').code).toBe('UPSTREAM_UNAVAILABLE');
    expect(String(new library.Secret('sk_live_123'))).toBe('[redacted]');
    expect(JSON.stringify({ key: new library.Secret('sk_live_123') })).toBe('{"key":"[redacted]"}');
  });
});
