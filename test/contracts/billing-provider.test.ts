import { billingProviderContract } from './billing-provider.contract';
import { openFakeBillingWorld } from './fake-billing-world';
import { openEmulatorBillingWorld } from './stripe-billing-world';

billingProviderContract('in-memory fake', openFakeBillingWorld, { liveAccount: true });
billingProviderContract('Stripe adapter against the emulator over HTTP', openEmulatorBillingWorld, { liveAccount: true });
