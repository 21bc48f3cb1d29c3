import fc from 'fast-check';
import { emulatorClient } from '@tenant-stripe-invoices/stripe-emulator';
import { startLiveService, type LiveService } from '../support/live-service';

// The preview and the charge that follows compute the same totals, whatever the price, currency, quantity and rate.

const seed = Number(process.env['FC_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
let service: LiveService;

beforeAll(async () => {
  console.info(`fast-check seed ${seed} (set FC_SEED=${seed} to replay)`);
  service = await startLiveService();
}, 60_000);
afterAll(() => service?.close());

async function post(path: string, body: object, key?: string) {
  const response = await fetch(`${service.baseUrl}/api/v1/tenants/${service.tenants.pays.tenantId}/stripe-invoices${path}`, {
    method: 'POST', headers: { ...service.headers, ...(key ? { 'idempotency-key': key } : {}) }, body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

describe('preview, then charge', () => {
  it('gives the same subtotal, tax and total as the invoice Stripe charged', async () => {
    const stripe = emulatorClient(service.emulator.url, 'sk_test_liveService');
    const product = await stripe.products.create({ name: 'Previewed' });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          currency: fc.constantFrom('usd', 'eur', 'gbp', 'jpy', 'krw', 'chf'),
          unitAmount: fc.integer({ min: 1, max: 2_000_000 }),
          quantity: fc.integer({ min: 1, max: 10_000 }),
          inclusive: fc.boolean(),
          // A percentage with at most four decimals, as Stripe takes it.
          percentage: fc.integer({ min: 0, max: 1_000_000 }).map((scaled) => scaled / 10_000),
        }),
        async ({ currency, unitAmount, quantity, inclusive, percentage }) => {
          run += 1;
          const price = await stripe.prices.create({ product: product.id, currency, unit_amount: unitAmount, tax_behavior: inclusive ? 'inclusive' : 'exclusive' });
          const rate = await stripe.taxRates.create({ display_name: 'Tax', percentage, inclusive });
          const body = { price: price.id, taxRate: rate.id, mode: 'payment', quantity, userId: service.tenants.pays.userId, test: true };
          const preview = await post('/preview', body);
          expect(preview.status).toBe(200);
          const charged = await post('', body, `preview-then-charge-${seed}-${run}`);
          expect(charged.status).toBe(201);
          const { subtotal, tax, total } = charged.json['data'].invoice;
          expect(preview.json['data'].preview).toMatchObject({ currency, subtotal, tax, total });
        },
      ),
      { seed, numRuns: 40 },
    );
  }, 120_000);
});
