import { startStripeEmulator, type RunningEmulator } from '@tenant-stripe-invoices/stripe-emulator';
import { createTestDatabase } from '../support/postgres-database';
import { startLiveService } from '../support/live-service';

// The service keeps each Stripe account under its rate limit: the emulator enforces Stripe's 429 at 5 requests a
// second, the service paces itself at 4. A burst of charges then meets no 429; without the pacing it does.

const POSTGRES_URL = process.env['TEST_POSTGRES_URL'];
const BURST = 4;
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startStripeEmulator();
}, 30_000);
afterAll(() => emulator?.close());

async function limitedBurst(env: Record<string, string>, databaseUrl?: string) {
  const live = await startLiveService({ emulator, env, ...(databaseUrl ? { databaseUrl } : {}) });
  try {
    await fetch(`${emulator.url}/_emulator/config`, { method: 'POST', body: JSON.stringify({ rateLimit: { test: 5 } }) });
    await fetch(`${emulator.url}/_emulator/rate-limits`, { method: 'DELETE' });
    const answers = await Promise.all(Array.from({ length: BURST }, (_, n) => live.charge('pays', { key: `burst-${Date.now()}-${n}` })));
    const stats = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as { test: { rateLimited: number } };
    return { statuses: answers.map((answer) => answer.status), rateLimited: stats.test.rateLimited };
  } finally {
    await fetch(`${emulator.url}/_emulator/config`, { method: 'POST', body: JSON.stringify({ rateLimit: null }) });
    await live.close();
  }
}

describe('pacing Stripe requests per account', () => {
  it('a burst of charges meets no 429 when the service paces itself under the limit (in memory, one instance)', async () => {
    const paced = await limitedBurst({ STRIPE_RATE_LIMIT: 'test=4' });
    expect(paced).toEqual({ statuses: Array(BURST).fill(201), rateLimited: 0 });
  }, 60_000);

  it('the same burst unpaced meets Stripe\'s 429s', async () => {
    const unpaced = await limitedBurst({ STRIPE_RATE_LIMIT: 'off' });
    expect(unpaced.rateLimited).toBeGreaterThan(0);
  }, 60_000);

  (POSTGRES_URL ? it : it.skip)(`paces through the table every instance on one PostgreSQL database shares${POSTGRES_URL ? '' : ' (PostgreSQL skipped: TEST_POSTGRES_URL is not set)'}`, async () => {
    const database = await createTestDatabase(POSTGRES_URL!);
    try {
      // 3 a second: a window of 333⅓ ms, kept in whole milliseconds in the shared table.
      const paced = await limitedBurst({ STRIPE_RATE_LIMIT: 'test=3' }, database.url);
      expect(paced).toEqual({ statuses: Array(BURST).fill(201), rateLimited: 0 });
    } finally {
      await database.drop();
    }
  }, 60_000);
});
