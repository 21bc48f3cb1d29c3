import fc from 'fast-check';
import type Stripe from 'stripe';
import { emulatorClient, startStripeEmulator, type RunningEmulator } from '@tenant-stripe-invoices/stripe-emulator';
import { startLiveService, type LiveService } from '../support/live-service';
import { eventually } from '../support/eventually';

// Whatever Stripe's deliveries do (duplicates, reordering, delays, losses), the store ends equal to Stripe once the
// deliveries are over and reconciliation has caught up on Stripe's event list.

const seed = Number(process.env['FC_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const RUNS = Number(process.env['EVENT_SCHEDULE_RUNS'] ?? 12);
let emulator: RunningEmulator;
let live: LiveService;
let stripe: Stripe;

beforeAll(async () => {
  console.info(`event schedules: fast-check seed ${seed} (FC_SEED=${seed} replays it), ${RUNS} runs`);
  emulator = await startStripeEmulator({ webhookRetryScheduleMs: [30, 60, 120] });
  live = await startLiveService({ emulator, webhooks: true });
  stripe = emulatorClient(emulator.url, live.stripeKey);
}, 60_000);
afterAll(async () => {
  await live?.close();
  await emulator?.close();
});

const rate = fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined });
// Sometimes every delivery is lost: only reconciliation's catch-up can then bring the changes.
const chaos = fc.record({ duplicate: rate, drop: fc.oneof(rate, fc.constant(1)), delay: rate, shuffle: rate });
const action = fc.oneof(
  fc.constant({ kind: 'pay' as const }),
  fc.record({ kind: fc.constant('authenticate' as const), outcome: fc.constantFrom('succeeded' as const, 'failed' as const) }),
  fc.record({ kind: fc.constant('refund' as const), part: fc.boolean() }),
  fc.constant({ kind: 'dispute' as const }),
  fc.constant({ kind: 'requiresAction' as const }),
);

type Charged = { tenantId: string; invoiceId: string; intentId: string };

async function perform(step: { kind: string; outcome?: 'succeeded' | 'failed'; part?: boolean }, charges: Charged[]) {
  const last = charges.at(-1);
  switch (step.kind) {
    case 'pay':
    case 'requiresAction': {
      const tenant = step.kind === 'pay' ? 'pays' : 'requiresAction';
      const answer = await live.charge(tenant);
      charges.push({ tenantId: live.tenants[tenant].tenantId, invoiceId: answer.json['data'].invoice.id, intentId: answer.json['data'].paymentIntents.id });
      return;
    }
    case 'authenticate':
      if (last) await fetch(`${emulator.url}/_emulator/payment_intents/${last.intentId}/authenticate`, { method: 'POST', body: JSON.stringify({ outcome: step.outcome }) });
      return;
    case 'refund':
      if (last) await stripe.refunds.create({ payment_intent: last.intentId, ...(step.part ? { amount: 100 } : {}) }).catch(() => undefined);
      return;
    default:
      if (last) await fetch(`${emulator.url}/_emulator/payment_intents/${last.intentId}/dispute`, { method: 'POST', body: '{}' });
  }
}

/** What Stripe holds of an invoice, in the read API's terms (worked out here, not by the service's code). */
async function stripeView(invoiceId: string) {
  const invoice = await stripe.invoices.retrieve(invoiceId, { expand: ['payments.data.payment.payment_intent'] });
  const intent = invoice.payments?.data[0]?.payment.payment_intent as Stripe.PaymentIntent | undefined;
  const charge = intent?.latest_charge ? await stripe.charges.retrieve(String(intent.latest_charge)) : undefined;
  let paymentStatus: string;
  if (charge?.disputed) paymentStatus = 'disputed';
  else if (charge && charge.amount_refunded === charge.amount_captured) paymentStatus = 'refunded';
  else if (charge && charge.amount_refunded > 0) paymentStatus = 'partially_refunded';
  else paymentStatus = { succeeded: 'succeeded', requires_action: 'requires_action' }[String(intent?.status)] ?? 'failed';
  return { status: invoice.status, amountPaid: invoice.amount_paid, amountRefunded: charge?.amount_refunded ?? 0, paymentStatus };
}

function settled(): Promise<void> {
  return eventually(async () => emulator.core.webhooks.owed === 0 && (await live.service.processStripeEvents.backlog()).backlog === 0, { withinMs: 15_000, everyMs: 20 });
}

describe('random event schedules', () => {
  it('end with every invoice in the store equal to Stripe, after a reconcile', async () => {
    let run = 0;
    const tally = { invoices: 0, dropped: 0, duplicated: 0 };
    await fc.assert(
      fc.asyncProperty(chaos, fc.array(action, { minLength: 1, maxLength: 6 }), async (rules, steps) => {
        run += 1;
        await fetch(`${emulator.url}/_emulator/webhooks/chaos`, { method: 'DELETE' });
        const chaosRules = Object.entries(rules).flatMap(([kind, probability]) => (probability === undefined ? [] : [{ kind, probability, maxDelayMs: 150 }]));
        if (chaosRules.length > 0) await fetch(`${emulator.url}/_emulator/webhooks/chaos`, { method: 'POST', body: JSON.stringify(chaosRules) });
        const logBefore = emulator.core.webhooks.log.length;
        const charges: Charged[] = [];
        for (const step of [{ kind: 'pay' as const }, ...steps]) await perform(step, charges);
        await settled();
        await live.service.reconcile.run();
        await settled();
        const log = emulator.core.webhooks.log.slice(logBefore);
        tally.dropped += log.filter((entry) => entry.status === 'dropped').length;
        tally.duplicated += log.filter((entry) => entry.duplicate).length;
        for (const { tenantId, invoiceId } of charges) {
          tally.invoices += 1;
          const stored = await live.invoice(tenantId, invoiceId);
          const expected = await stripeView(invoiceId);
          expect({ run, invoiceId, status: stored['status'], amountPaid: stored['amountPaid'], amountRefunded: stored['amountRefunded'], paymentStatus: stored['paymentStatus'] }).toEqual({
            run, invoiceId, ...expected,
          });
        }
      }),
      { seed, numRuns: RUNS },
    );
    console.info(`event schedules: ${run} runs, ${tally.invoices} invoices compared, ${tally.dropped} deliveries dropped, ${tally.duplicated} duplicated`);
  }, 300_000);
});
