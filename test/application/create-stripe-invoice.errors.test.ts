import {
  Forbidden,
  PriceNotUsable,
  TaxRateNotApplicable,
  TenantMismatch,
  ValidationFailed,
  type DomainError,
} from '../../domain/errors';
import { expectRejection } from '../support/expect-error';
import { APP, OUTSIDER, PRICES, TAX_RATES, TENANTS, body, buildWorld } from '../support/world';

type ErrorClass = abstract new (...args: never[]) => DomainError;

/** Runs one request and checks the error, and that nothing reached Stripe or the ledger. */
async function expectRefused(
  request: { tenantId?: string; input?: unknown; idempotencyKey?: string; keyType?: 'read' | 'write' },
  type: ErrorClass,
  reason: string,
): Promise<DomainError> {
  const world = buildWorld();
  const caller = { ...world.writer, keyType: request.keyType ?? 'write' };
  const error = await expectRejection(
    world.createInvoice.execute({
      caller,
      tenantId: request.tenantId ?? TENANTS.pays,
      input: 'input' in request ? request.input : body(),
      idempotencyKey: request.idempotencyKey,
    }),
    type,
    reason,
  );
  expect(world.billing.requests).toEqual([]);
  expect(world.chargeLedger.rows).toEqual([]);
  return error;
}

describe('CreateStripeInvoice: VALIDATION_FAILED', () => {
  it.each([
    ['an unknown field', body({ amount: 5 }), '(body)'],
    ['a missing price', { ...body(), price: undefined }, 'price'],
    ['a tax rate id that is not txr_', body({ taxRate: 'price_x' }), 'taxRate'],
    // One parser decides each id: the domain's, reported in the same shape as every other field.
    ['a price id with an underscore after its prefix', body({ price: 'price_a_b' }), 'price'],
    ['a tenant id in the body that is not a UUID', body({ tenantId: 'tenant-1' }), 'tenantId'],
    ['an unknown mode', body({ mode: 'setup' }), 'mode'],
    ['quantity 0', body({ quantity: 0 }), 'quantity'],
    ['quantity 10 001', body({ quantity: 10_001 }), 'quantity'],
    ['a fractional quantity', body({ quantity: 1.5 }), 'quantity'],
    ['a quantity given as a string', body({ quantity: '1' }), 'quantity'],
    ['a user id that is not a UUID', body({ userId: 'bob' }), 'userId'],
    ['test given as a string', body({ test: 'true' }), 'test'],
    ['a body that is not an object', [1, 2], '(body)'],
    ['no body', null, '(body)'],
  ])('refuses %s', async (_case, input, path) => {
    const error = (await expectRefused({ input }, ValidationFailed, 'invalid_request')) as ValidationFailed;
    expect(error.issues.map((issue) => issue.path)).toContain(path);
    expect(error.message).toMatch(/^The request body is not valid: /);
  });

  it('refuses a footer over 5 000 characters', async () => {
    await expectRefused({ input: body({ footer: 'x'.repeat(5001) }) }, ValidationFailed, 'footer_too_long');
  });

  it.each(['\ud800', 'a\udc00b'])('refuses a footer that is not well-formed Unicode (%j) before Stripe sees it', async (footer) => {
    await expectRefused({ input: body({ footer }), idempotencyKey: 'lone-surrogate' }, ValidationFailed, 'footer_not_unicode');
  });

  it('refuses a tenant id in the path that is not a UUID', async () => {
    await expectRefused({ tenantId: '../admin' }, ValidationFailed, 'invalid_id');
  });

  it('refuses an Idempotency-Key that is not printable ASCII', async () => {
    await expectRefused({ idempotencyKey: 'ключ' }, ValidationFailed, 'invalid_idempotency_key');
  });
});

describe('CreateStripeInvoice: TENANT_MISMATCH', () => {
  it('refuses a body tenantId that differs from the path', async () => {
    await expectRefused({ input: body({ tenantId: TENANTS.declines }) }, TenantMismatch, 'body_tenant_differs_from_path');
  });

  it('accepts a body tenantId equal to the path, in any case', async () => {
    const world = buildWorld();
    const input = body({ tenantId: TENANTS.pays.toUpperCase() });
    await expect(world.createInvoice.execute({ caller: world.writer, tenantId: TENANTS.pays, input })).resolves.toMatchObject({
      status: 'succeeded',
    });
  });
});

describe('CreateStripeInvoice: FORBIDDEN', () => {
  it('refuses a read key', async () => {
    await expectRefused({ keyType: 'read' }, Forbidden, 'read_key');
  });

  it("answers an unknown tenant and another app's tenant identically", async () => {
    const unknown = await expectRefused({ tenantId: 'e0000000-0000-4000-8000-0000000000ff' }, Forbidden, 'tenant_not_found');
    const foreign = await expectRefused({ tenantId: TENANTS.otherApps }, Forbidden, 'tenant_not_found');
    expect(foreign.message).toBe(unknown.message);
  });

  it('refuses a user who is not a member of the tenant', async () => {
    await expectRefused({ input: body({ userId: OUTSIDER }) }, Forbidden, 'not_a_member');
  });

  it('refuses a tenant without a Stripe customer in the requested mode', async () => {
    await expectRefused({ tenantId: TENANTS.liveOnly, input: body({ test: true }) }, Forbidden, 'no_customer');
  });

  it('refuses an app without a Stripe secret key in the requested mode', async () => {
    const world = buildWorld();
    world.stripeAccounts.remove(APP, 'test');
    const request = { caller: world.writer, tenantId: TENANTS.pays };
    const error = await expectRejection(
      world.createInvoice.execute({ ...request, input: body({ test: true }) }),
      Forbidden,
      'no_stripe_account',
    );
    expect(error.message).toBe('This app has no Stripe test secret key configured.');
    await expect(world.createInvoice.execute({ ...request, input: body() })).resolves.toBeDefined();
  });
});

describe('CreateStripeInvoice: PRICE_NOT_USABLE', () => {
  it.each([
    ['an unknown price', body({ price: 'price_nope' }), 'not_found'],
    ['an archived price', body({ price: PRICES.archived }), 'inactive'],
    ['a recurring price in payment mode', body({ price: PRICES.monthly }), 'mode_mismatch'],
    ['a one-time price in subscription mode', body({ mode: 'subscription' }), 'mode_mismatch'],
  ])('refuses %s', async (_case, input, reason) => {
    await expectRefused({ input }, PriceNotUsable, reason);
  });

  it('does not see a live price from test mode', async () => {
    const world = buildWorld();
    world.billing.addPrice('sk_live_app', {
      id: 'price_liveonly' as never, type: 'one_time', currency: 'usd', unitAmount: 100, taxBehavior: 'exclusive', active: true,
    });
    const request = { caller: world.writer, tenantId: TENANTS.pays };
    await expect(world.createInvoice.execute({ ...request, input: body({ price: 'price_liveonly' }) })).resolves.toBeDefined();
    await expectRejection(
      world.createInvoice.execute({ ...request, input: body({ price: 'price_liveonly', test: true }) }),
      PriceNotUsable,
      'not_found',
    );
  });
});

describe('CreateStripeInvoice: TAX_RATE_NOT_APPLICABLE', () => {
  it.each([
    ['an unknown tax rate', body({ taxRate: 'txr_nope' }), 'not_found'],
    ['an archived tax rate', body({ taxRate: TAX_RATES.archived }), 'inactive'],
    ['an exclusive rate on a tax-inclusive price', body({ price: PRICES.inclusive }), 'inclusive_conflict'],
    ["a rate for another country than the tenant's", body({ taxRate: TAX_RATES.us }), 'country_mismatch'],
  ])('refuses %s', async (_case, input, reason) => {
    await expectRefused({ input }, TaxRateNotApplicable, reason);
  });
});
