import { StripeAccountRejected, UpstreamUnavailable } from '../../../application/errors';
import { APP, KEYS, OTHER_APP, OUTSIDER, PRICES, TAX_RATES, TENANTS, body } from '../../support/world';
import { CREDENTIALS, type HttpWorld } from './http-world';

/**
 * One row per status and code of the contract. The REST and GraphQL tests both run every row: REST expects the
 * status and code; GraphQL expects the union member with the same code (or, for 401/429, the same HTTP status).
 */
export interface Scenario {
  name: string;
  tenantId?: string;
  body?: Record<string, unknown>;
  headers?: Record<string, string | undefined>;
  idempotencyKey?: string;
  /** Runs before the request; may return a clean-up to run after it. */
  arrange?(world: HttpWorld): Promise<(() => void) | void> | void;
  rateLimit?: { perSecond: number; burst: number };
  /** `final`: a 500 that is the operation's stored final answer (ChargeAborted), not a masked bug. */
  expect: { status: number; code?: string; chargeStatus?: string; retryAfter?: boolean; final?: boolean };
  /** Where GraphQL's own type system answers first (a request error with this HTTP status), before the use case. */
  graphqlRequestError?: number;
}

/** Stripe fails the first write of a one-off charge with `error`. */
const billingFailure = (error: Error) => (world: HttpWorld) => {
  world.billing.createDraftInvoice = async () => {
    throw error;
  };
};

export const SCENARIOS: Scenario[] = [
  { name: 'a paid one-off invoice', expect: { status: 201, chargeStatus: 'succeeded' } },
  { name: 'a paid subscription', body: body({ mode: 'subscription', price: PRICES.monthly }), expect: { status: 201, chargeStatus: 'succeeded' } },
  { name: 'a card that needs 3-D Secure', tenantId: TENANTS.requiresAction, expect: { status: 201, chargeStatus: 'requires_action' } },
  { name: 'an invoice covered by credit', tenantId: TENANTS.hasCredit, expect: { status: 201, chargeStatus: 'nothing_to_charge' } },
  { name: 'a schema violation', body: body({ quantity: 0 }), expect: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: 'an unknown body field', body: body({ discount: 10 }), expect: { status: 400, code: 'VALIDATION_FAILED' }, graphqlRequestError: 400 },
  { name: 'a body tenantId unlike the path', body: body({ tenantId: TENANTS.declines }), expect: { status: 400, code: 'TENANT_MISMATCH' } },
  { name: 'a recurring price in payment mode', body: body({ price: PRICES.monthly }), expect: { status: 400, code: 'PRICE_NOT_USABLE' } },
  { name: 'a tax rate of another country', body: body({ taxRate: TAX_RATES.us }), expect: { status: 400, code: 'TAX_RATE_NOT_APPLICABLE' } },
  { name: 'no credentials', headers: { 'x-api-key': undefined, 'x-api-key-type': undefined, 'x-client-id': undefined }, expect: { status: 401, code: 'UNAUTHENTICATED' } },
  { name: 'an unknown key', headers: { 'x-api-key': 'tsinv_unknown' }, expect: { status: 401, code: 'UNAUTHENTICATED' } },
  { name: "another app's client id", headers: { 'x-client-id': OTHER_APP }, expect: { status: 401, code: 'UNAUTHENTICATED' } },
  { name: 'a key type header unlike the key', headers: { 'x-api-key-type': 'read' }, expect: { status: 401, code: 'UNAUTHENTICATED' } },
  {
    name: 'a revoked key',
    arrange: (world) => world.apiKeys.revokeSecret(KEYS.write, new Date(0)),
    expect: { status: 401, code: 'UNAUTHENTICATED' },
  },
  { name: 'a footer that is not well-formed Unicode', body: body({ footer: 'a\udc00b' }), expect: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: 'a declined card', tenantId: TENANTS.declines, expect: { status: 402, code: 'PAYMENT_DECLINED' } },
  { name: 'no default payment method', tenantId: TENANTS.noCard, expect: { status: 402, code: 'NO_PAYMENT_METHOD' } },
  { name: 'a read key', headers: { 'x-api-key': KEYS.read, 'x-api-key-type': 'read' }, expect: { status: 403, code: 'FORBIDDEN' } },
  { name: "another app's tenant", tenantId: TENANTS.otherApps, expect: { status: 403, code: 'FORBIDDEN' } },
  { name: 'an unknown tenant', tenantId: 'e0000000-0000-4000-8000-0000000000ff', expect: { status: 403, code: 'FORBIDDEN' } },
  { name: 'a user outside the tenant', body: body({ userId: OUTSIDER }), expect: { status: 403, code: 'FORBIDDEN' } },
  { name: 'no Stripe customer for the mode', tenantId: TENANTS.liveOnly, body: body({ test: true }), expect: { status: 403, code: 'FORBIDDEN' } },
  {
    name: 'a request with the same key still in flight',
    idempotencyKey: 'in-flight',
    arrange: async (world) => {
      const hold = world.billing.holdAt('invoice.pay');
      const caller = { appId: APP, keyId: world.writer.keyId, keyType: 'write' as const };
      const first = world.createInvoice.execute({ caller, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'in-flight' });
      await hold.reached;
      return () => {
        hold.release();
        void first;
      };
    },
    expect: { status: 409, code: 'IDEMPOTENCY_IN_PROGRESS', retryAfter: true },
  },
  {
    name: 'a key reused for another request',
    idempotencyKey: 'reused',
    body: body({ quantity: 2 }),
    arrange: async (world) => {
      await world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input: body(), idempotencyKey: 'reused' });
    },
    expect: { status: 422, code: 'IDEMPOTENCY_KEY_REUSED' },
  },
  {
    name: "the app's rate limit",
    rateLimit: { perSecond: 1, burst: 1 },
    arrange: (world) => world.useCases.rateLimit.take(APP),
    expect: { status: 429, code: 'RATE_LIMITED', retryAfter: true },
  },
  { name: 'a bug', arrange: billingFailure(new TypeError('boom: a bug')), expect: { status: 500, code: 'INTERNAL' } },
  {
    name: 'a request Stripe refuses for good',
    idempotencyKey: 'refused-for-good',
    arrange: (world) => world.billing.refuseStep('invoice.create'),
    expect: { status: 500, code: 'INTERNAL', final: true },
  },
  {
    name: 'Stripe answering 5xx after retries',
    arrange: billingFailure(new UpstreamUnavailable('server_error', 'invoice.pay failed 4 times')),
    expect: { status: 502, code: 'UPSTREAM_UNAVAILABLE', retryAfter: true },
  },
  {
    name: "Stripe rejecting the app's key",
    arrange: billingFailure(new StripeAccountRejected('live')),
    expect: { status: 502, code: 'STRIPE_ACCOUNT_MISCONFIGURED' },
  },
  {
    name: 'Stripe unreachable',
    arrange: billingFailure(new UpstreamUnavailable('unreachable', 'connect ECONNREFUSED')),
    expect: { status: 503, code: 'UPSTREAM_UNAVAILABLE', retryAfter: true },
  },
];

export function requestHeaders(scenario: Scenario): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...CREDENTIALS, ...scenario.headers };
  if (scenario.idempotencyKey) merged['idempotency-key'] = scenario.idempotencyKey;
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The GraphQL union member for each error code. */
export const GRAPHQL_TYPE_OF: Record<string, string> = {
  VALIDATION_FAILED: 'ValidationFailedError',
  TENANT_MISMATCH: 'TenantMismatchError',
  PRICE_NOT_USABLE: 'PriceNotUsableError',
  TAX_RATE_NOT_APPLICABLE: 'TaxRateNotApplicableError',
  PAYMENT_DECLINED: 'PaymentDeclinedError',
  NO_PAYMENT_METHOD: 'NoPaymentMethodError',
  FORBIDDEN: 'ForbiddenError',
  IDEMPOTENCY_IN_PROGRESS: 'IdempotencyInProgressError',
  IDEMPOTENCY_KEY_REUSED: 'IdempotencyKeyReusedError',
  UPSTREAM_UNAVAILABLE: 'UpstreamUnavailableError',
  STRIPE_ACCOUNT_MISCONFIGURED: 'StripeAccountMisconfiguredError',
  INTERNAL: 'ChargeAbortedError',
};
