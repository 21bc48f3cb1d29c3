import { startStripeEmulator } from '@tenant-stripe-invoices/stripe-emulator';
import { DEFAULT_RETRY_POLICY } from '../../adapters/stripe/retry-policy';
import { startLiveService } from '../support/live-service';

// A burst of charges for one Stripe account against the emulator enforcing Stripe's live-mode limit (100 requests
// a second), with and without the service's own pacing (80 a second). Prints completion time, p99, the answers the
// callers got, and the 429s Stripe answered. Run: npm run bench:rate-limits (BURST=200 by default).

const BURST = Number(process.env['BURST'] ?? 200);
const STRIPE_LIMIT = 100;
const PACE = 80;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface BurstRun {
  label: string;
  seconds: string;
  p50: number;
  p99: number;
  answers: string;
  stripe429s: number;
  stripeRequests: number;
}

async function run(label: string, rateLimit: string): Promise<BurstRun> {
  const emulator = await startStripeEmulator();
  // The production retry policy (3 retries, 250 ms to 2 s, with jitter) and Stripe timeout, not the tests' quick ones.
  const live = await startLiveService({ emulator, env: { STRIPE_RATE_LIMIT: rateLimit, STRIPE_TIMEOUT_MS: '20000' }, retry: DEFAULT_RETRY_POLICY });
  try {
    await fetch(`${emulator.url}/_emulator/config`, { method: 'POST', body: JSON.stringify({ rateLimit: { test: STRIPE_LIMIT } }) });
    await fetch(`${emulator.url}/_emulator/rate-limits`, { method: 'DELETE' });
    const started = performance.now();
    const latencies: number[] = [];
    const statuses = await Promise.all(
      Array.from({ length: BURST }, async (_, n) => {
        const begun = performance.now();
        const answer = await live.charge('pays', { key: `${label}-${n}` });
        latencies.push(performance.now() - begun);
        return answer.status;
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const stats = (await (await fetch(`${emulator.url}/_emulator/stats`)).json()) as { test: { rateLimited: number } };
    const requests = ((await (await fetch(`${emulator.url}/_emulator/requests`)).json()) as unknown[]).length;
    const answers = Object.entries(statuses.reduce<Record<number, number>>((count, status) => ({ ...count, [status]: (count[status] ?? 0) + 1 }), {}))
      .map(([status, count]) => `${count}×${status}`)
      .join(' ');
    latencies.sort((a, b) => a - b);
    return { label, seconds: seconds.toFixed(1), p50: Math.round(percentile(latencies, 50)), p99: Math.round(percentile(latencies, 99)), answers, stripe429s: stats.test.rateLimited, stripeRequests: requests };
  } finally {
    await live.close();
    await emulator.close();
  }
}

/** The burst without the service's pacing, then with it. */
export async function rateLimitedBursts(): Promise<{ burst: number; stripeLimit: number; pace: number; unpaced: BurstRun; paced: BurstRun }> {
  return { burst: BURST, stripeLimit: STRIPE_LIMIT, pace: PACE, unpaced: await run('unpaced', 'off'), paced: await run('paced', `test=${PACE}`) };
}

if (require.main === module) {
  void rateLimitedBursts().then(
    ({ unpaced, paced }) => {
      console.log(`A burst of ${BURST} charges for one account; Stripe (emulated) allows ${STRIPE_LIMIT} requests a second.`);
      console.table([unpaced, paced]);
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
