import type { Caller } from '../../application/caller';
import type { ChargeOutcomes } from '../../application/ports';
import { createUseCases } from '../../adapters/composition/container';
import { parseAppId, parseApiKeyId, parseCustomerId, parseTenantId, parseUserId } from '../../domain/ids';
import type { PriceId, TaxRateId } from '../../domain/ids';
import { Tenant, parseCountryCode } from '../../domain/tenant';
import { FixedClock } from '../fakes/fixed-clock';
import { InMemoryApiKeys } from '../fakes/in-memory-api-keys';
import { InMemoryApps } from '../fakes/in-memory-apps';
import { InMemoryBilling, type CardBehaviour } from '../fakes/in-memory-billing';
import { InMemoryChargeLedger } from '../fakes/in-memory-charge-ledger';
import { InMemoryIdempotencyRecords } from '../fakes/in-memory-idempotency-records';
import { FakeStripeLifecycle } from '../fakes/fake-stripe-lifecycle';
import { InMemoryEventInbox } from '../fakes/in-memory-event-inbox';
import { InMemoryStripeAccounts } from '../fakes/in-memory-stripe-accounts';
import { InMemoryWebhookSecrets } from '../fakes/in-memory-webhook-secrets';
import { InMemoryInvoices } from '../fakes/in-memory-invoices';
import { InMemoryAppEndpoints, InMemoryWebhookOutbox } from '../fakes/in-memory-outbound';
import { RecordingWebhookSender } from '../fakes/recording-webhook-sender';
import { StandardWebhookSigner } from '../../adapters/webhooks/standard-webhook-signer';
import { StripeWebhookVerifier } from '../../adapters/stripe/stripe-webhook-verifier';
import { InMemoryTenants } from '../fakes/in-memory-tenants';
import { SequentialIds } from '../fakes/sequential-ids';
import { InMemoryExpiredRecords } from '../fakes/in-memory-expired-records';

export const APP = parseAppId('a0000000-0000-4000-8000-00000000000a');
export const OTHER_APP = parseAppId('b0000000-0000-4000-8000-00000000000b');
export const KEYS = { write: 'ak_test_write', read: 'ak_test_read', otherAppWrite: 'ak_test_other' } as const;
export const WRITE_KEY_ID = parseApiKeyId('c0000000-0000-4000-8000-000000000001');
export const READ_KEY_ID = parseApiKeyId('c0000000-0000-4000-8000-000000000002');
export const OTHER_APP_KEY_ID = parseApiKeyId('c0000000-0000-4000-8000-000000000003');
export const STRIPE_KEYS = { live: 'sk_live_app', test: 'sk_test_app', otherLive: 'sk_live_other' } as const;
export const USER = parseUserId('d0000000-0000-4000-8000-000000000001');
export const OUTSIDER = parseUserId('d0000000-0000-4000-8000-000000000002');

export const PRICES = {
  oneTime: 'price_onetime' as PriceId, // 19.99 usd, tax-exclusive
  monthly: 'price_monthly' as PriceId, // 9.99 usd a month, tax-exclusive
  inclusive: 'price_inclusive' as PriceId, // 119.00 eur, tax-inclusive
  archived: 'price_archived' as PriceId,
  tiny: 'price_tiny' as PriceId, // 0.25 usd + 19 % = 0.30 usd: below Stripe's minimum charge
} as const;
export const TAX_RATES = {
  vat: 'txr_vat19' as TaxRateId, // 19 % exclusive, DE
  vatInclusive: 'txr_vat19incl' as TaxRateId, // 19 % inclusive, DE
  archived: 'txr_archived' as TaxRateId,
  us: 'txr_ny' as TaxRateId, // 8.875 % exclusive, US
} as const;

/** One tenant per way a charge can go, each with a live and a test customer. */
export const TENANTS = {
  pays: tenantId(1),
  declines: tenantId(2),
  requiresAction: tenantId(3),
  noCard: tenantId(4),
  hasCredit: tenantId(5),
  liveOnly: tenantId(6),
  otherApps: tenantId(7),
} as const;

function tenantId(n: number) {
  return parseTenantId(`e0000000-0000-4000-8000-00000000000${n}`);
}

/** The use cases on fakes, seeded with the tenants above: the application as tests drive it. */
export function buildWorld(options: { rateLimit?: { perSecond: number; burst: number }; chargeOutcomes?: ChargeOutcomes } = {}) {
  const clock = new FixedClock();
  const ids = new SequentialIds();
  const apiKeys = new InMemoryApiKeys();
  const tenants = new InMemoryTenants();
  const stripeAccounts = new InMemoryStripeAccounts();
  const idempotencyRecords = new InMemoryIdempotencyRecords();
  const appEndpoints = new InMemoryAppEndpoints();
  const outbox = new InMemoryWebhookOutbox(appEndpoints);
  const chargeLedger = new InMemoryChargeLedger(new InMemoryInvoices(outbox), idempotencyRecords);
  const webhookSender = new RecordingWebhookSender();
  const billing = new InMemoryBilling();
  const apps = new InMemoryApps();
  const stripeLifecycle = new FakeStripeLifecycle();
  const eventInbox = new InMemoryEventInbox();
  const webhookSecrets = new InMemoryWebhookSecrets();
  const useCases = createUseCases({
    apps, apiKeys, tenants, stripeAccounts, idempotencyRecords, chargeLedger, invoices: chargeLedger.invoices, billing, clock, ids,
    stripeLifecycle, eventInbox, webhookSecrets, webhookVerifier: new StripeWebhookVerifier(),
    appEndpoints, outbox, webhookSender, webhookSigner: new StandardWebhookSigner(),
    expiredRecords: new InMemoryExpiredRecords({ idempotencyRecords, eventInbox, outbox, chargeLedger }),
    rateLimit: options.rateLimit ?? { perSecond: 0, burst: 0 },
    ...(options.chargeOutcomes ? { chargeOutcomes: options.chargeOutcomes } : {}),
  });

  apiKeys.add(KEYS.write, { id: WRITE_KEY_ID, appId: APP, type: 'write', expiresAt: null, revokedAt: null });
  apiKeys.add(KEYS.read, { id: READ_KEY_ID, appId: APP, type: 'read', expiresAt: null, revokedAt: null });
  apiKeys.add(KEYS.otherAppWrite, { id: OTHER_APP_KEY_ID, appId: OTHER_APP, type: 'write', expiresAt: null, revokedAt: null });
  void apps.create({ id: APP, name: 'The app', createdAt: clock.now() });
  void apps.create({ id: OTHER_APP, name: 'Another app', createdAt: clock.now() });
  stripeAccounts.setKey(APP, 'live', STRIPE_KEYS.live);
  stripeAccounts.setKey(APP, 'test', STRIPE_KEYS.test);
  stripeAccounts.setKey(OTHER_APP, 'live', STRIPE_KEYS.otherLive);

  for (const secretKey of Object.values(STRIPE_KEYS)) seedStripe(billing, secretKey);
  const cards: [keyof typeof TENANTS, CardBehaviour | null, number][] = [
    ['pays', 'succeeds', 0],
    ['declines', 'declines', 0],
    ['requiresAction', 'requires_action', 0],
    ['noCard', null, 0],
    ['hasCredit', 'succeeds', 1_000_000],
  ];
  for (const [name, card, credit] of cards) {
    const customers = { live: parseCustomerId(`cus_${name}Live`), test: parseCustomerId(`cus_${name}Test`) };
    billing.addCustomer(STRIPE_KEYS.live, customers.live, card, credit);
    billing.addCustomer(STRIPE_KEYS.test, customers.test, card, credit);
    tenants.add(Tenant.create({ id: TENANTS[name], appId: APP, members: [USER], billingCountry: de, customers }), [USER]);
  }
  const liveOnly = { live: parseCustomerId('cus_liveOnly') };
  billing.addCustomer(STRIPE_KEYS.live, liveOnly.live, 'succeeds');
  tenants.add(Tenant.create({ id: TENANTS.liveOnly, appId: APP, members: [USER], customers: liveOnly }), [USER]);
  const foreign = { live: parseCustomerId('cus_foreign') };
  billing.addCustomer(STRIPE_KEYS.otherLive, foreign.live, 'succeeds');
  tenants.add(Tenant.create({ id: TENANTS.otherApps, appId: OTHER_APP, members: [USER], customers: foreign }), [USER]);

  const writer: Caller = { appId: APP, keyId: WRITE_KEY_ID, keyType: 'write' };
  return {
    useCases, clock, ids, apps, apiKeys, tenants, stripeAccounts, idempotencyRecords, chargeLedger, billing, writer,
    stripeLifecycle, eventInbox, webhookSecrets, appEndpoints, outbox, webhookSender,
    createInvoice: useCases.createStripeInvoice,
    authenticate: useCases.authenticate,
  };
}

const de = parseCountryCode('DE');

function seedStripe(billing: InMemoryBilling, secretKey: string): void {
  const price = { taxBehavior: 'exclusive' as const, active: true };
  billing.addPrice(secretKey, { ...price, id: PRICES.oneTime, type: 'one_time', currency: 'usd', unitAmount: 1999 });
  billing.addPrice(secretKey, { ...price, id: PRICES.monthly, type: 'recurring', currency: 'usd', unitAmount: 999 });
  billing.addPrice(secretKey, {
    id: PRICES.inclusive, type: 'one_time', currency: 'eur', unitAmount: 11900, taxBehavior: 'inclusive', active: true,
  });
  billing.addPrice(secretKey, { ...price, id: PRICES.archived, type: 'one_time', currency: 'usd', unitAmount: 500, active: false });
  billing.addPrice(secretKey, { ...price, id: PRICES.tiny, type: 'one_time', currency: 'usd', unitAmount: 25 });
  const rate = { percentage: 19, active: true, country: de };
  billing.addTaxRate(secretKey, { ...rate, id: TAX_RATES.vat, inclusive: false });
  billing.addTaxRate(secretKey, { ...rate, id: TAX_RATES.vatInclusive, inclusive: true });
  billing.addTaxRate(secretKey, { ...rate, id: TAX_RATES.archived, inclusive: false, active: false });
  billing.addTaxRate(secretKey, { id: TAX_RATES.us, percentage: 8.875, inclusive: false, active: true, country: parseCountryCode('US') });
}

/** A valid request body for the paying tenant; override what the test is about. */
export function body(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { price: PRICES.oneTime, taxRate: TAX_RATES.vat, mode: 'payment', quantity: 1, userId: USER, ...overrides };
}
