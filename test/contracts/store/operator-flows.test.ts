import { replayOf } from '../../support/replay';
import { createUseCases } from '../../../adapters/composition/container';
import { Unauthenticated, type PriceId, type TaxRateId } from '../../../adapters/composition/library';
import { StripeWebhookVerifier } from '../../../adapters/stripe/stripe-webhook-verifier';
import { FakeStripeLifecycle } from '../../fakes/fake-stripe-lifecycle';
import { RecordingWebhookSender } from '../../fakes/recording-webhook-sender';
import { StandardWebhookSigner } from '../../../adapters/webhooks/standard-webhook-signer';
import { InMemoryBilling } from '../../fakes/in-memory-billing';
import { expectRejection } from '../../support/expect-error';
import { newUserId } from './store-fixtures';
import { forEachStore, type StoreWorld } from './store-worlds';

/** The application on this world's store, with the in-memory billing fake standing in for Stripe. */
function application(world: StoreWorld) {
  const billing = new InMemoryBilling();
  const stripeLifecycle = new FakeStripeLifecycle();
  return {
    billing,
    ...createUseCases({
      ...world.store, billing, stripeLifecycle, webhookVerifier: new StripeWebhookVerifier(), clock: world.clock,
      webhookSender: new RecordingWebhookSender(), webhookSigner: new StandardWebhookSigner(),
    }),
  };
}

forEachStore('API key lifecycle through the application', (world) => {
  it('stops a revoked key on the very next request', async () => {
    const app = application(world());
    const { id: appId } = await app.apps.create({ name: 'Revoking' });
    const { key, secret } = await app.apiKeys.create({ appId, type: 'write' });
    world().secretsWritten.add(secret);
    const credentials = { apiKey: secret, apiKeyType: 'write', clientId: appId };
    await expect(app.authenticate.execute(credentials)).resolves.toMatchObject({ keyId: key.id });
    await app.apiKeys.revoke(key.id);
    await expectRejection(app.authenticate.execute(credentials), Unauthenticated, 'revoked_key');
  });

  it("keeps a rotated key's old secret working until the overlap ends, then only the new one", async () => {
    const app = application(world());
    const { id: appId } = await app.apps.create({ name: 'Rotating' });
    const old = await app.apiKeys.create({ appId, type: 'read' });
    const rotated = await app.apiKeys.rotate({ keyId: old.key.id, overlapSeconds: 3600 });
    world().secretsWritten.add(old.secret).add(rotated.secret);
    const as = (apiKey: string) => app.authenticate.execute({ apiKey, apiKeyType: 'read', clientId: appId });

    world().clock.advance(3_599_000);
    await expect(as(old.secret)).resolves.toMatchObject({ keyId: old.key.id });
    await expect(as(rotated.secret)).resolves.toMatchObject({ keyId: rotated.key.id, keyType: 'read' });
    world().clock.advance(1_000);
    await expectRejection(as(old.secret), Unauthenticated, 'expired_key');
    await expect(as(rotated.secret)).resolves.toMatchObject({ keyId: rotated.key.id });
  });
});

forEachStore('API key rotation keeps the lifetime policy', (world) => {
  it('replaces a key made to expire after N days with one that expires N days after the rotation', async () => {
    const app = application(world());
    const { id: appId } = await app.apps.create({ name: 'Expiring' });
    const old = await app.apiKeys.create({ appId, type: 'write', expiresInDays: 90 });
    world().secretsWritten.add(old.secret);
    world().clock.advance(10 * 86_400_000);
    const rotated = await app.apiKeys.rotate({ keyId: old.key.id, overlapSeconds: 3600 });
    world().secretsWritten.add(rotated.secret);
    expect(rotated.key.expiresAt?.getTime()).toBe(world().clock.now().getTime() + 90 * 86_400_000);
    const forever = await app.apiKeys.create({ appId, type: 'read' });
    world().secretsWritten.add(forever.secret);
    const replaced = await app.apiKeys.rotate({ keyId: forever.key.id, overlapSeconds: 0 });
    world().secretsWritten.add(replaced.secret);
    expect(replaced.key.expiresAt).toBeNull();
  });
});

forEachStore('An operator sets an app up and it charges (secrets never stored in plaintext)', (world) => {
  it('creates the app, its keys, its Stripe keys and a tenant, charges it, and reads the ledger', async () => {
    const app = application(world());
    const { id: appId } = await app.apps.create({ name: 'Full flow' });
    const writer = await app.apiKeys.create({ appId, type: 'write' });
    const stripeTest = 'sk_test_51FullFlowSecretKey0000';
    world().secretsWritten.add(writer.secret).add(stripeTest);
    await app.stripeKeys.setKey({ appId, mode: 'test', secretKey: stripeTest });
    app.billing.addCustomer(stripeTest, 'cus_flow', 'succeeds');
    app.billing.addPrice(stripeTest, { id: 'price_flow' as PriceId, type: 'one_time', currency: 'eur', unitAmount: 5000, taxBehavior: 'exclusive', active: true });
    app.billing.addTaxRate(stripeTest, { id: 'txr_flow' as TaxRateId, percentage: 19, inclusive: false, active: true });
    const user = newUserId();
    const tenant = await app.tenants.create({ appId, billingCountry: 'DE', testCustomer: 'cus_flow', members: [user] });

    const caller = await app.authenticate.execute({ apiKey: writer.secret, apiKeyType: 'write', clientId: appId });
    const result = await app.createStripeInvoice.execute({
      caller, tenantId: tenant.id, idempotencyKey: 'flow-1',
      input: { price: 'price_flow', taxRate: 'txr_flow', mode: 'payment', quantity: 2, userId: user, test: true },
    });
    expect(result).toMatchObject({ status: 'succeeded', invoice: { total: 11900 } });
    const replay = await app.createStripeInvoice.execute({
      caller, tenantId: tenant.id, idempotencyKey: 'flow-1',
      input: { price: 'price_flow', taxRate: 'txr_flow', mode: 'payment', quantity: 2, userId: user, test: true },
    });
    expect(JSON.stringify(replay)).toBe(JSON.stringify(replayOf(result)));
    expect(await app.ledger.list({ tenantId: tenant.id })).toMatchObject([
      { outcome: 'succeeded', total: 11900, livemode: false, idempotencyKey: 'flow-1', apiKeyId: writer.key.id },
    ]);
  });
});
