import { emulatorClient } from './sdk-client';
import { seedTestAccount } from './seed-test-account';
import { startStripeEmulator } from './emulator-server';
import { RATE_LIMIT_VARIABLE, rateLimitOption } from './rate-limit';
import { STANDALONE_DEFAULT_PORT, STANDALONE_PORT_VARIABLE, standalonePort } from './standalone-port';

const USAGE = `Usage: npm run stripe-emulator -- [--port ${STANDALONE_DEFAULT_PORT}] [--host 127.0.0.1] [--latency-ms 0] [--jitter-ms 0] [--state-file path]
       [--event-retention 10000] [--webhook-retry-ms 1000,2000,4000,8000,16000,32000] [--rate-limit off] [--seed sk_test_…]

Starts the stateful Stripe emulator. Point the stripe SDK at it with
  new Stripe('sk_test_anything', { host: '127.0.0.1', port: ${STANDALONE_DEFAULT_PORT}, protocol: 'http' })
or call it with curl:  curl -u sk_test_anything: http://127.0.0.1:${STANDALONE_DEFAULT_PORT}/v1/customers
The port is --port, else $${STANDALONE_PORT_VARIABLE}, else ${STANDALONE_DEFAULT_PORT} (local mode's own emulator
uses 12111). A key goes in as Bearer auth or as the username of Basic auth, as Stripe takes it.
Keys are sk_test_<account> / sk_live_<account>; each account and mode has its own objects. Nothing is created
unless --seed is given, which creates customers, prices and tax rates under that key and prints their ids.
--state-file keeps every object and idempotent answer in that file, written before each answer, and reads it back
at start: a killed emulator forgets nothing it answered for.
Every state change is an event (GET /v1/events), delivered to the webhook endpoints created with
POST /v1/webhook_endpoints, signed as Stripe signs; a failed delivery is retried after each wait of --webhook-retry-ms.
--rate-limit (else $${RATE_LIMIT_VARIABLE}) enforces Stripe's per-account request rate limit, answering 429
rate_limit beyond it: off (the default), stripe (100/s live, 25/s test, as Stripe), a number of requests per second
for both modes, or live=N,test=N. Each account and mode has its own token bucket of one second's worth.
Control surface: GET /_emulator/stats, GET /_emulator/requests, POST /_emulator/faults, POST /_emulator/config,
GET /_emulator/rate-limits, POST /_emulator/reset, POST /_emulator/payment_intents/:id/authenticate, POST /_emulator/payment_intents/:id/dispute,
POST /_emulator/webhooks/chaos, GET /_emulator/webhooks/deliveries.`;

function option(args: string[], name: string): string | undefined {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
}

function number(args: string[], name: string, fallback: number): number {
  const raw = option(args, name);
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    console.error(`--${name} must be a whole number, not ${raw}\n\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

function schedule(raw: string): number[] {
  const waits = raw.split(',').map(Number);
  if (waits.some((wait) => !Number.isInteger(wait) || wait < 0)) {
    console.error(`--webhook-retry-ms takes whole milliseconds separated by commas, not ${raw}\n\n${USAGE}`);
    process.exit(2);
  }
  return waits;
}

function orExit<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
}

async function main(args: string[]): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return;
  }
  const port = orExit(() => standalonePort(args, process.env));
  const rateLimit = orExit(() => rateLimitOption(args, process.env));
  const emulator = await startStripeEmulator({
    port,
    host: option(args, 'host') ?? '127.0.0.1',
    latency: { fixedMs: number(args, 'latency-ms', 0), jitterMs: number(args, 'jitter-ms', 0) },
    ...(option(args, 'state-file') ? { stateFile: option(args, 'state-file')! } : {}),
    eventRetention: number(args, 'event-retention', 10_000),
    ...(option(args, 'webhook-retry-ms') ? { webhookRetryScheduleMs: schedule(option(args, 'webhook-retry-ms')!) } : {}),
    rateLimit,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EADDRINUSE') throw error;
    throw new Error(`Port ${port} is taken (another emulator?). Choose another with --port or ${STANDALONE_PORT_VARIABLE}.`);
  });
  console.log(`Stripe emulator listening on ${emulator.url}`);
  if (rateLimit) console.log(`Rate limit per account: ${rateLimit.live ?? 'unlimited'}/s live, ${rateLimit.test ?? 'unlimited'}/s test`);
  const seedKey = option(args, 'seed');
  if (seedKey) {
    const seeded = await seedTestAccount(emulatorClient(emulator.url), seedKey);
    console.log(JSON.stringify({ key: seedKey, ...seeded }, null, 2));
  }
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
