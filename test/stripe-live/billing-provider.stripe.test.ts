import { STRIPE_API } from '../../adapters/stripe/stripe-client';
import type { StripeBilling } from '../../adapters/stripe/stripe-billing';
import { billingProviderContract } from '../contracts/billing-provider.contract';
import { chargeMachine, chargeRun, draftFor } from '../contracts/billing-world';
import { openStripeBillingWorld } from '../contracts/stripe-billing-world';

// Opt-in: `STRIPE_TEST_SECRET_KEY=sk_test_… npm run test:stripe`. Creates its own customers, prices and tax rates
// in that test-mode account, then runs the same contract as the fake and the emulator.
const key = process.env['STRIPE_TEST_SECRET_KEY'];

if (!key) {
  console.info('Skipping the Stripe test-mode contract: set STRIPE_TEST_SECRET_KEY=sk_test_… to run it.');
  describe('BillingProvider contract against Stripe test mode', () => {
    it.skip('is skipped: STRIPE_TEST_SECRET_KEY is not set, so nothing was sent to Stripe', () => undefined);
  });
} else if (!key.startsWith('sk_test_')) {
  throw new Error('STRIPE_TEST_SECRET_KEY must be a test-mode secret key (sk_test_…); refusing to run against live mode.');
} else {
  const open = () => openStripeBillingWorld({ baseUrl: process.env['STRIPE_API_BASE'] ?? STRIPE_API, testKey: key });
  billingProviderContract('Stripe adapter against Stripe test mode', open, { liveAccount: false, timeoutMs: 60_000 });

  describe('what real Stripe did', () => {
    it('prints which path paying an invoice took', async () => {
      const world = await open();
      const draft = await draftFor(world, {
        customer: world.seeded.customers.pays, mode: 'payment', price: world.seeded.prices.oneTime, taxRate: world.seeded.taxRates.exclusive,
      });
      await chargeMachine(world.billing).charge.execute(chargeRun(world.test, draft));
      const path = (world.billing as StripeBilling).payPathFor(world.test);
      console.info(`Stripe test mode: invoices are paid by ${path === 'pay-draft' ? 'paying the draft (3 requests)' : 'finalizing first (4 requests)'}.`);
      expect(['pay-draft', 'finalize-first']).toContain(path);
    }, 60_000);
  });
}
