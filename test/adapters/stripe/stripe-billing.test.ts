import type { ChargeRun } from '../../../application/charge-invoice';
import { BillingRequestRejected, StripeAccountRejected, UpstreamUnavailable } from '../../../application/errors';
import { Secret } from '../../../application/secret';
import { StripeBilling } from '../../../adapters/stripe/stripe-billing';
import { createStripeClient } from '../../../adapters/stripe/stripe-client';
import { seedTestAccount, startStripeEmulator, type FaultRule, type SeededAccount } from '@tenant-stripe-invoices/stripe-emulator';
import { parseAppId } from '../../../domain/ids';
import { chargeMachine, chargeRun, draftFor, newOperationId, type BillingWorld } from '../../contracts/billing-world';

const APP = parseAppId('a0000000-0000-4000-8000-00000000000a');
const KEY = 'sk_test_adapter';

/** An emulator in this process, steered and read through its core. */
async function withEmulator() {
  const emulator = await startStripeEmulator();
  return {
    emulator,
    fault: (rule: FaultRule) => emulator.core.faults.add(rule),
    stats: () => emulator.core.stats(),
    log: () => emulator.core.requests,
  };
}

let env: Awaited<ReturnType<typeof withEmulator>>;
let seeded: SeededAccount;

beforeEach(async () => {
  env = await withEmulator();
  seeded = await seedTestAccount(createStripeClient({ baseUrl: env.emulator.url, timeoutMs: 5_000 }), KEY);
});
afterEach(() => env.emulator.close());

/** An adapter with fast retries and a short timeout, and the application's state machine charging through it. */
function adapter(options: { timeoutMs?: number; retries?: number; key?: string } = {}) {
  const billing = new StripeBilling(createStripeClient({ baseUrl: env.emulator.url, timeoutMs: options.timeoutMs ?? 5_000 }), {
    retry: { retries: options.retries ?? 3, baseDelayMs: 20, maxDelayMs: 100 },
  });
  const account = { appId: APP, mode: 'test' as const, secretKey: new Secret(options.key ?? KEY) };
  const world = { billing, test: account, seeded } as unknown as BillingWorld;
  const request = async (mode: 'payment' | 'subscription', customer = seeded.customers.pays, operationId = newOperationId()): Promise<ChargeRun> => {
    const draft = await draftFor(world, {
      customer, mode, price: mode === 'payment' ? seeded.prices.oneTime : seeded.prices.recurring, taxRate: seeded.taxRates.exclusive,
    });
    return chargeRun(account, draft, operationId);
  };
  const { charge } = chargeMachine(billing);
  return { billing, request, execute: (run: ChargeRun) => charge.execute(run) };
}

/** The Stripe requests made after `since`, as `METHOD operation idempotency-key status`. */
function requestsSince(since: number) {
  return env.log().filter((entry) => entry.seq > since);
}

describe('StripeBilling: the requests it sends', () => {
  it('charges a one-off invoice with 3 requests, each under a key derived from the operation id', async () => {
    const { execute, request } = adapter();
    const charge = await request('payment'); // looks the price and tax rate up, which are then cached
    const since = env.log().at(-1)!.seq;
    const result = await execute(charge);

    expect(result.paymentIntent?.status).toBe('succeeded');
    expect(requestsSince(since).map((entry) => [entry.method, entry.operation, entry.idempotencyKey, entry.status])).toEqual([
      ['POST', 'invoice.create', `${charge.operationId}:invoice.create`, 200],
      ['POST', 'invoice.add_lines', `${charge.operationId}:invoice.add_lines`, 200],
      ['POST', 'invoice.pay', `${charge.operationId}:invoice.pay`, 200],
    ]);
  });

  it('starts a subscription with 2 requests', async () => {
    const { execute, request } = adapter();
    const charge = await request('subscription');
    const since = env.log().at(-1)!.seq;
    await execute(charge);
    expect(requestsSince(since).map((entry) => [entry.method, entry.operation, entry.idempotencyKey])).toEqual([
      ['POST', 'subscription.create', `${charge.operationId}:subscription.create`],
      ['GET', 'payment_intent.retrieve', null],
    ]);
  });

  it('caches price and tax rate lookups between charges', async () => {
    const { request } = adapter();
    await request('payment');
    const since = env.log().at(-1)!.seq;
    await request('payment');
    expect(requestsSince(since)).toEqual([]);
  });

  it('finalizes first where Stripe refuses to pay a draft, and remembers it for the account', async () => {
    env.emulator.core.settings.payDraftInvoices = false;
    const { execute, request } = adapter();
    const first = await request('payment');
    const since = env.log().at(-1)!.seq;
    await expect(execute(first)).resolves.toMatchObject({ invoice: { status: 'paid' } });
    expect(requestsSince(since).map((entry) => `${entry.operation} ${entry.status}`)).toEqual([
      'invoice.create 200', 'invoice.add_lines 200', 'invoice.pay 400', 'invoice.finalize 200', 'invoice.pay 200',
    ]);
    const second = await request('payment');
    const before = env.log().at(-1)!.seq;
    await execute(second);
    expect(requestsSince(before).map((entry) => entry.operation)).toEqual(['invoice.create', 'invoice.add_lines', 'invoice.finalize', 'invoice.pay']);
  });
});

describe('StripeBilling: failures', () => {
  it('retries 429 and 5xx under the same key, then succeeds exactly once', async () => {
    const { execute, request } = adapter();
    const charge = await request('payment');
    await env.fault({ operation: 'invoice.pay', kind: 'rate_limit' });
    await env.fault({ operation: 'invoice.pay', kind: 'server_error' });
    await execute(charge);
    const pays = env.log().filter((entry) => entry.operation === 'invoice.pay');
    expect(pays.map((entry) => entry.status)).toEqual([429, 500, 200]);
    expect(new Set(pays.map((entry) => entry.idempotencyKey))).toEqual(new Set([`${charge.operationId}:invoice.pay`]));
    expect(env.stats().test).toMatchObject({ invoices: 1, charges: 1 });
  });

  it('gives up after its bounded retries with UpstreamUnavailable, and a later retry completes once', async () => {
    const { execute, request } = adapter({ retries: 2 });
    const charge = await request('payment');
    await env.fault({ operation: 'invoice.pay', kind: 'unavailable', count: 3 });
    const error = await execute(charge).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UpstreamUnavailable);
    expect((error as UpstreamUnavailable).kind).toBe('server_error');
    expect(env.log().filter((entry) => entry.operation === 'invoice.pay')).toHaveLength(3);

    await expect(execute(charge)).resolves.toMatchObject({ invoice: { status: 'paid' } });
    expect(env.stats().test).toMatchObject({ invoices: 1, charges: 1 });
  });

  it('survives a response lost after Stripe did the work, at every step', async () => {
    const { execute, request } = adapter();
    for (const operation of ['invoice.create', 'invoice.add_lines', 'invoice.pay']) {
      await env.fault({ operation, kind: 'drop_after' });
    }
    await execute(await request('payment'));
    expect(env.log().filter((entry) => entry.status === 'dropped')).toHaveLength(3);
    expect(env.stats().test).toMatchObject({ invoices: 1, paidInvoices: 1, charges: 1 });
  });

  it('waits out a timed-out request that Stripe is still working on (409) and charges once', async () => {
    const { execute, request } = adapter({ timeoutMs: 150, retries: 8 });
    const charge = await request('payment');
    await env.fault({ operation: 'invoice.pay', kind: 'timeout', delayMs: 400 });
    await expect(execute(charge)).resolves.toMatchObject({ paymentIntent: { status: 'succeeded' } });
    const statuses = env.log().filter((entry) => entry.operation === 'invoice.pay').map((entry) => entry.status);
    expect(statuses).toContain(409);
    expect(env.stats().test).toMatchObject({ invoices: 1, charges: 1 });
  });

  it("turns a key Stripe rejects into StripeAccountRejected, without retrying", async () => {
    const { execute, request } = adapter();
    const charge = await request('payment');
    const rejected = { ...charge, account: { ...charge.account, secretKey: new Secret('sk_test_revoked-key') } };
    await expect(execute(rejected)).rejects.toBeInstanceOf(StripeAccountRejected);
    expect(env.log().filter((entry) => entry.status === 401)).toHaveLength(1);
  });

  it('deletes the empty draft when Stripe refuses the line', async () => {
    const { execute, request } = adapter();
    const charge = await request('payment');
    const stripe = createStripeClient({ baseUrl: env.emulator.url, timeoutMs: 5_000 });
    await stripe.prices.update(seeded.prices.oneTime, { active: false }, { apiKey: KEY });
    await expect(execute(charge)).rejects.toMatchObject({ code: 'PRICE_NOT_USABLE', reason: 'inactive' });
    expect(env.log().map((entry) => entry.operation)).toContain('invoice.delete');
    expect(env.stats().test.invoices).toBe(0);
  });

  it('turns a request the SDK cannot even send into BillingRequestRejected, and sends nothing', async () => {
    const { billing, request } = adapter();
    const charge = await request('payment');
    // What validation keeps out: a footer holding a lone surrogate, which the SDK cannot form-encode.
    const unsendable = Object.assign(Object.create(Object.getPrototypeOf(charge.invoice) as object) as typeof charge.invoice, charge.invoice, { footer: 'a\udc00b' });
    const since = env.log().at(-1)!.seq;
    const error = await billing.createDraftInvoice({ account: charge.account, operationId: charge.operationId, restarts: 0 }, unsendable, {}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BillingRequestRejected);
    expect((error as BillingRequestRejected).detail).toMatch(/^invoice\.create could not be sent: URIError/);
    expect(requestsSince(since)).toEqual([]);
  });

  it('turns a Stripe 4xx that is no business outcome into BillingRequestRejected, without retrying', async () => {
    const { billing, execute, request } = adapter();
    const charge = await request('payment');
    const paid = await execute(charge);
    const operation = { account: charge.account, operationId: newOperationId(), restarts: 0 };
    const since = env.log().at(-1)!.seq;
    const error = await billing.voidInvoice(operation, paid.invoice.id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BillingRequestRejected);
    expect(requestsSince(since).map((entry) => [entry.operation, entry.status])).toEqual([['invoice.void', 400]]);
  });
});

