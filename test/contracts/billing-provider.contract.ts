import type { ChargeInvoice } from '../../application/charge-invoice';
import type { ChargeLookup } from '../../application/charge-lookup';
import { NOT_STARTED } from '../../application/charge-progress';
import { ChargeAborted } from '../../application/errors';
import { Forbidden, NoPaymentMethod, PaymentDeclined, PriceNotUsable } from '../../domain/errors';
import { parsePriceId, parseTaxRateId } from '../../domain/ids';
import type { Invoice } from '../../domain/invoice';
import { expectRejection } from '../support/expect-error';
import { chargeMachine, chargeRun, draftFor, newOperationId, withPrice, type BillingWorld } from './billing-world';

/**
 * What every implementation of the billing port must do, driven by the application's one state machine
 * (ChargeInvoice) with the same assertions for each: the in-memory fake, the Stripe adapter against the emulator,
 * and (opt-in) the Stripe adapter against Stripe's test mode.
 */
export function billingProviderContract(
  name: string,
  open: () => Promise<BillingWorld>,
  options: { liveAccount: boolean; timeoutMs?: number },
): void {
  const timeoutMs = options.timeoutMs ?? 20_000;
  // A world without a live-mode account (Stripe's test mode) cannot show live/test separation; the others do.
  const withLiveAccount = options.liveAccount ? it : it.skip;
  // Only a stand-in can be made to forget its idempotency keys; real Stripe keeps them for 24 hours.
  const withForgetfulStripe = options.liveAccount ? it : it.skip;
  describe(`BillingProvider contract: ${name}`, () => {
    let world: BillingWorld;
    let charge: ChargeInvoice;
    let lookup: ChargeLookup;
    beforeAll(async () => {
      world = await open();
      ({ charge, lookup } = chargeMachine(world.billing));
    }, 120_000);
    afterAll(async () => world?.close());

    const run = (invoice: Invoice, operationId = newOperationId(), account = world.test) => charge.execute(chargeRun(account, invoice, operationId));
    const oneOff = (customer: string, quantity = 1) =>
      draftFor(world, { customer, mode: 'payment', price: world.seeded.prices.oneTime, taxRate: world.seeded.taxRates.exclusive, quantity });
    const monthly = (customer: string, quantity = 1) =>
      draftFor(world, { customer, mode: 'subscription', price: world.seeded.prices.recurring, taxRate: world.seeded.taxRates.exclusive, quantity });

    it('looks up prices and tax rates, and answers undefined for unknown ones', async () => {
      const price = await world.billing.findPrice(world.test, parsePriceId(world.seeded.prices.recurring));
      expect(price).toMatchObject({ type: 'recurring', currency: 'usd', taxBehavior: 'exclusive', active: true });
      expect(price?.unitAmountFor('subscription').amount).toBe(999);
      const rate = await world.billing.findTaxRate(world.test, parseTaxRateId(world.seeded.taxRates.inclusive));
      expect(rate).toMatchObject({ percentage: 19, inclusive: true, active: true, country: 'DE' });
      await expect(world.billing.findPrice(world.test, parsePriceId('price_doesNotExist0'))).resolves.toBeUndefined();
      await expect(world.billing.findTaxRate(world.test, parseTaxRateId('txr_doesNotExist0'))).resolves.toBeUndefined();
    }, timeoutMs);

    it('charges a one-off invoice: the totals Stripe computes are the draft totals', async () => {
      const draft = await oneOff(world.seeded.customers.pays, 3);
      const steps = chargeRun(world.test, draft);
      const result = await charge.execute(steps);
      expect(result.paymentIntent).toMatchObject({ status: 'succeeded', amount: draft.total.amount, currency: 'usd' });
      expect(result.paymentIntent?.object).toMatchObject({ object: 'payment_intent', id: result.paymentIntent?.id });
      expect(result.invoice).toMatchObject({
        status: 'paid', subtotal: draft.subtotal.amount, tax: draft.tax.amount, total: draft.total.amount, amountPaid: draft.total.amount,
      });
      expect(result.invoice.number).toEqual(expect.any(String));
      expect(result.subscription).toBeNull();
      expect(steps.checkpoints.map((progress) => progress.point)).toEqual(['invoice_created', 'lines_added', 'paid']);
    }, timeoutMs);

    it('charges an inclusive price with the tax inside the total', async () => {
      const draft = await draftFor(world, {
        customer: world.seeded.customers.pays, mode: 'payment', price: world.seeded.prices.inclusive,
        taxRate: world.seeded.taxRates.inclusive, quantity: 2, footer: 'Vielen Dank.',
      });
      const result = await run(draft);
      expect(result.invoice).toMatchObject({ currency: 'eur', subtotal: 23800, tax: 3800, total: 23800 });
    }, timeoutMs);

    it('starts a subscription and charges its first invoice', async () => {
      const draft = await monthly(world.seeded.customers.pays, 2);
      const result = await run(draft);
      expect(result.subscription).toMatchObject({ status: 'active' });
      expect(result.paymentIntent).toMatchObject({ status: 'succeeded', amount: draft.total.amount });
      expect(result.invoice).toMatchObject({ status: 'paid', total: draft.total.amount, tax: draft.tax.amount });
    }, timeoutMs);

    it('reports a declined one-off charge and leaves no open invoice behind', async () => {
      const error = await expectRejection(run(await oneOff(world.seeded.customers.declines)), PaymentDeclined);
      expect(error.declineCode).toBe('generic_decline');
      expect(error.invoiceId).toEqual(expect.stringMatching(/^in_/));
      expect(await world.invoiceStatus(error.invoiceId!)).toBe('void');
    }, timeoutMs);

    it('reports a declined first subscription payment and cancels the subscription', async () => {
      const operationId = newOperationId();
      const error = await expectRejection(run(await monthly(world.seeded.customers.declines), operationId), PaymentDeclined);
      expect(error.declineCode).toBe('generic_decline');
      expect(await world.invoiceStatus(error.invoiceId!)).toBe('void');
      const found = await world.billing.findSubscriptionOf(world.test, operationId);
      expect(await world.subscriptionStatus(found!.subscription.id)).toBe('canceled');
    }, timeoutMs);

    it.each(['payment', 'subscription'] as const)('returns a %s that needs 3-D Secure with a requires_action PaymentIntent', async (mode) => {
      const customer = world.seeded.customers.requiresAction;
      const draft = mode === 'payment' ? await oneOff(customer) : await monthly(customer);
      const result = await run(draft);
      expect(result.paymentIntent).toMatchObject({ status: 'requires_action', amount: draft.total.amount });
      expect(result.paymentIntent?.clientSecret).toEqual(expect.stringContaining('_secret_'));
      expect(result.invoice.status).toBe('open');
      if (mode === 'subscription') expect(result.subscription?.status).toBe('incomplete');
    }, timeoutMs);

    it('pays an invoice covered by customer credit without a PaymentIntent', async () => {
      const result = await run(await oneOff(world.seeded.customers.hasCredit));
      expect(result.paymentIntent).toBeNull();
      expect(result.invoice.status).toBe('paid');
    }, timeoutMs);

    it.each(['payment', 'subscription'] as const)('reports a customer without a payment method (%s)', async (mode) => {
      const customer = world.seeded.customers.noCard;
      await expectRejection(run(mode === 'payment' ? await oneOff(customer) : await monthly(customer)), NoPaymentMethod);
    }, timeoutMs);

    it("refuses a price whose type does not match the mode, by Stripe's own check", async () => {
      const oneOffWithRecurring = withPrice(await oneOff(world.seeded.customers.pays), world.seeded.prices.recurring);
      const operationId = newOperationId();
      await expectRejection(run(oneOffWithRecurring, operationId), PriceNotUsable, 'mode_mismatch');
      // The draft whose line Stripe refused is deleted, not left behind.
      expect(await world.billing.findInvoiceOf(world.test, operationId)).toBeUndefined();
      const subscriptionWithOneTime = withPrice(await monthly(world.seeded.customers.pays), world.seeded.prices.oneTime);
      await expectRejection(run(subscriptionWithOneTime), PriceNotUsable, 'mode_mismatch');
    }, timeoutMs);

    it('replays each step under the same operation id: nothing new is created or charged', async () => {
      const operationId = newOperationId();
      const before = await world.invoiceCount?.();
      const draft = await oneOff(world.seeded.customers.pays);
      const first = await run(draft, operationId);
      const second = await run(draft, operationId);
      expect(second.invoice.id).toBe(first.invoice.id);
      expect(second.paymentIntent?.id).toBe(first.paymentIntent?.id);
      if (before !== undefined) expect(await world.invoiceCount!()).toBe(before + 1);

      const subscriptionOperation = newOperationId();
      const subscriptionDraft = await monthly(world.seeded.customers.pays);
      const started = await run(subscriptionDraft, subscriptionOperation);
      const again = await run(subscriptionDraft, subscriptionOperation);
      expect(again.subscription?.id).toBe(started.subscription?.id);
      expect(again.paymentIntent?.id).toBe(started.paymentIntent?.id);
    }, timeoutMs * 2);

    withLiveAccount('keeps live and test apart (needs a live-mode account)', async () => {
      await expect(world.billing.findPrice(world.live!, parsePriceId(world.seeded.prices.oneTime))).resolves.toBeUndefined();
      const testDraft = await oneOff(world.seeded.customers.pays);
      await expectRejection(run(testDraft, newOperationId(), world.live), Forbidden, 'no_customer');
    }, timeoutMs);

    /**
     * Runs a one-off charge and crashes it after Stripe did the step leading to `point` but before that point was
     * committed: the resumed charge gets only the point before, while Stripe is one step further.
     */
    async function crashedBefore(point: 'invoice_created' | 'lines_added' | 'paid', customer = world.seeded.customers.pays) {
      const draft = await oneOff(customer);
      const first = chargeRun(world.test, draft);
      const crash = new Error('crash');
      first.checkpoint = async (progress) => {
        if (progress.point === point) throw crash;
        first.checkpoints.push(progress);
      };
      await expect(charge.execute(first)).rejects.toBe(crash);
      return { draft, operationId: first.operationId, committed: first.checkpoints.at(-1) ?? NOT_STARTED };
    }

    it.each(['invoice_created', 'lines_added', 'paid'] as const)('resumes a charge that crashed before committing %s: one invoice, one charge', async (point) => {
      const before = await world.invoiceCount?.();
      const { draft, operationId, committed } = await crashedBefore(point);
      // Only a holder that took the operation over cannot know whether its predecessor reached Stripe at all.
      const takenOver = committed.point === 'started';
      const result = await charge.execute(chargeRun(world.test, draft, operationId, committed, takenOver));
      expect(result.invoice).toMatchObject({ status: 'paid', total: draft.total.amount, amountPaid: draft.total.amount });
      expect(result.paymentIntent).toMatchObject({ status: 'succeeded', amount: draft.total.amount });
      if (before !== undefined) expect(await world.invoiceCount!()).toBe(before + 1);
    }, timeoutMs);

    it('answers a charge whose paid point was committed by reading it back', async () => {
      const draft = await oneOff(world.seeded.customers.pays);
      const first = chargeRun(world.test, draft);
      const result = await charge.execute(first);
      const paid = first.checkpoints.at(-1)!;
      expect(paid).toEqual({ point: 'paid', invoiceId: result.invoice.id, subscriptionId: null, restarts: 0 });
      const again = await charge.execute(chargeRun(world.test, draft, first.operationId, paid));
      expect(again.paymentIntent?.id).toBe(result.paymentIntent?.id);
    }, timeoutMs);

    withForgetfulStripe('looks Stripe up before repeating a step, even after Stripe forgot the idempotency keys', async () => {
      for (const point of ['invoice_created', 'lines_added', 'paid'] as const) {
        const before = await world.invoiceCount?.();
        const { draft, operationId, committed } = await crashedBefore(point);
        await world.forgetIdempotencyKeys!();
        const result = await charge.execute(chargeRun(world.test, draft, operationId, committed, committed.point === 'started'));
        // One invoice with one line, paid once: the resumed charge saw what the crashed one had done.
        expect(result.invoice).toMatchObject({ total: draft.total.amount, amountPaid: draft.total.amount, status: 'paid' });
        if (committed.invoiceId) expect(result.invoice.id).toBe(committed.invoiceId);
        const found = await lookup.find(world.test, 'payment', operationId);
        expect(found?.result?.paymentIntent?.id).toBe(result.paymentIntent?.id);
        if (before !== undefined) expect(await world.invoiceCount!()).toBe(before + 1);
      }
    }, timeoutMs);

    it('resumes a subscription from subscription_created without starting another', async () => {
      const draft = await monthly(world.seeded.customers.pays);
      const first = chargeRun(world.test, draft);
      const started = await charge.execute(first);
      expect(first.checkpoints).toEqual([{ point: 'subscription_created', invoiceId: started.invoice.id, subscriptionId: started.subscription?.id, restarts: 0 }]);
      const resumed = await charge.execute(chargeRun(world.test, draft, first.operationId, first.checkpoints[0]));
      expect(resumed.subscription).toEqual(started.subscription);
      expect(resumed.paymentIntent?.id).toBe(started.paymentIntent?.id);
    }, timeoutMs);

    it('finds what Stripe holds for an operation by its id, and nothing for an unknown one', async () => {
      const created = await crashedBefore('lines_added');
      expect(await lookup.find(world.test, 'payment', created.operationId)).toEqual({ progress: { ...created.committed, point: 'lines_added' }, result: null });
      const paid = await crashedBefore('paid');
      const found = await lookup.find(world.test, 'payment', paid.operationId);
      expect(found).toMatchObject({ progress: { point: 'paid', invoiceId: paid.committed.invoiceId }, result: { invoice: { status: 'paid' } } });
      const subscriptionDraft = await monthly(world.seeded.customers.pays);
      const subscription = chargeRun(world.test, subscriptionDraft);
      const started = await charge.execute(subscription);
      const foundSubscription = await lookup.find(world.test, 'subscription', subscription.operationId);
      expect(foundSubscription?.result?.subscription?.id).toBe(started.subscription?.id);
      expect(await lookup.find(world.test, 'payment', newOperationId())).toBeUndefined();
    }, timeoutMs);

    it('abandons what an operation left unpaid (the draft is gone), and never undoes a charge', async () => {
      const unpaid = await crashedBefore('lines_added');
      await lookup.abandon(world.test, { ...unpaid.committed, point: 'lines_added' }, unpaid.operationId);
      expect(await lookup.find(world.test, 'payment', unpaid.operationId)).toBeUndefined();
      expect(await world.billing.readInvoice(world.test, unpaid.committed.invoiceId!)).toBeUndefined();

      const paid = await crashedBefore('paid');
      await lookup.abandon(world.test, paid.committed, paid.operationId);
      expect(await world.invoiceStatus(paid.committed.invoiceId!)).toBe('paid');
    }, timeoutMs);

    it('starts over under new keys when the draft an operation created was deleted: one invoice, one charge', async () => {
      const before = await world.invoiceCount?.();
      const { draft, operationId, committed } = await crashedBefore('lines_added');
      // A person deletes the draft in the dashboard (any delete will do: it is not this operation's).
      await world.billing.deleteDraftInvoice({ account: world.test, operationId: newOperationId(), restarts: 0 }, committed.invoiceId!);
      const resumed = chargeRun(world.test, draft, operationId, committed);
      const result = await charge.execute(resumed);
      expect(result.invoice).toMatchObject({ status: 'paid', amountPaid: draft.total.amount });
      expect(result.invoice.id).not.toBe(committed.invoiceId);
      expect(resumed.checkpoints.map((progress) => [progress.point, progress.restarts])).toEqual([
        ['started', 1], ['invoice_created', 1], ['lines_added', 1], ['paid', 1],
      ]);
      if (before !== undefined) expect(await world.invoiceCount!()).toBe(before + 1);
    }, timeoutMs);

    it('ends with ChargeAborted when what the operation reached is no longer at Stripe', async () => {
      const draft = await oneOff(world.seeded.customers.pays);
      const gone = { point: 'paid' as const, invoiceId: 'in_doesNotExist0', subscriptionId: null, restarts: 0 };
      await expectRejection(charge.execute(chargeRun(world.test, draft, newOperationId(), gone)), ChargeAborted, 'object_gone');
      const subscription = await monthly(world.seeded.customers.pays);
      const goneSubscription = { point: 'subscription_created' as const, invoiceId: 'in_doesNotExist0', subscriptionId: 'sub_doesNotExist0', restarts: 0 };
      await expectRejection(charge.execute(chargeRun(world.test, subscription, newOperationId(), goneSubscription)), ChargeAborted, 'object_gone');
    }, timeoutMs);

    it('reads an invoice back as it stands, and nothing for an unknown or foreign one', async () => {
      const result = await run(await oneOff(world.seeded.customers.pays, 2));
      const state = await world.billing.readInvoice(world.test, result.invoice.id);
      expect(state).toMatchObject({ invoice: { id: result.invoice.id, status: 'paid' }, lineCount: 1, paymentIntent: { id: result.paymentIntent?.id } });
      expect(await world.billing.readInvoice(world.test, 'in_doesNotExist0')).toBeUndefined();
      if (world.live) expect(await world.billing.readInvoice(world.live, result.invoice.id)).toBeUndefined();
    }, timeoutMs);
  });
}
