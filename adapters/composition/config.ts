import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_RETENTION, SHORTEST_RETENTION, type RetentionPolicy } from '../../application/admin/purge-expired';
import { parseMasterKey } from '../sql/secret-box';
import type { StripeRates } from '../stripe/stripe-pacing';
import { STRIPE_API } from '../stripe/stripe-client';

/** Everything the service reads from its environment, resolved once at start-up. */
export interface ServiceConfig {
  /** `production` (NODE_ENV=production): never seeds, never starts the emulator, needs MASTER_KEY. */
  mode: 'local' | 'production';
  dataDir: string;
  databaseUrl: string | undefined;
  masterKey: Buffer;
  /** Where Stripe is; `STRIPE_API_BASE` overrides it (the emulator, a proxy). */
  stripeApiBase: string;
  stripeApiBaseOverridden: boolean;
  stripeTimeoutMs: number;
  port: number;
  host: string;
  /** Each app's requests per second (RATE_LIMIT_PER_SECOND, 0 = off) and burst (RATE_LIMIT_BURST). */
  rateLimit: { perSecond: number; burst: number };
  /** How long a claimed Idempotency-Key stays with a holder that shows no progress (IDEMPOTENCY_LEASE_SECONDS). */
  leaseMilliseconds: number;
  /** How often the server reconciles abandoned operations itself (RECONCILE_INTERVAL_SECONDS; 0: never). */
  reconcileIntervalMs: number;
  /** Local mode: the in-process emulator's port (STRIPE_EMULATOR_PORT; taken → any free port). */
  emulatorPort: number;
  logLevel: string;
  /** Events to the apps: which targets are allowed, and a time scale for the retry schedule (tests). */
  webhooks: { allowHttp: boolean; allowPrivate: boolean; timeScale: number; timeoutMs: number };
  /** How long the store keeps idempotency answers, processed events and (if set) ledger rows; how often it purges. */
  retention: RetentionPolicy;
  purgeIntervalMs: number;
  /** Requests per second this service sends each Stripe account, per mode (STRIPE_RATE_LIMIT); unset: see ratesFor. */
  stripeRates: StripeRates | undefined;
  /** Whether opening the service may make a new store (an SQLite file, a master key) where none is (see loadConfig). */
  createStore: boolean;
  warnings: string[];
}

export interface LoadOptions {
  /**
   * The server and the CLI make a new local store (its database and master key) where DATA_DIR has none; a program
   * embedding the service must ask for it, so that a wrong DATA_DIR (or a different working directory) is an
   * error, not a second, empty store under a new key.
   */
  createStore?: boolean;
}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

/** A whole number from `min` to `max`; `why` says what a smaller one would break. */
function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number, min = 0, why = ''): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new ConfigurationError(`${name} must be a whole number from ${min} to ${max}, not "${raw}"${why}.`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): ServiceConfig {
  const mode = env['NODE_ENV'] === 'production' ? 'production' : 'local';
  const dataDir = path.resolve(env['DATA_DIR'] || '.data');
  const databaseUrl = env['DATABASE_URL'] || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigurationError('DATABASE_URL must be a postgres:// URL; leave it unset for the embedded SQLite store.');
  }
  const createStore = options.createStore ?? false;
  const warnings: string[] = [];
  const masterKey = resolveMasterKey(env['MASTER_KEY'], { mode, dataDir, databaseUrl, createStore }, warnings);
  const override = env['STRIPE_API_BASE'] || undefined;
  if (override && !/^https?:\/\/[^/]+\/?$/.test(override)) {
    throw new ConfigurationError('STRIPE_API_BASE must be a base URL such as http://127.0.0.1:12111.');
  }
  // In local mode, the CLI and embedding programs reach the emulator of the running server (never api.stripe.com
  // with the emulator's made-up keys).
  // Not with DATABASE_URL: a shared database's processes must never take a local emulator for its Stripe.
  const stripeApiBase = override ?? (mode === 'local' && !databaseUrl ? localEmulatorUrl(dataDir) : undefined) ?? STRIPE_API;
  return {
    mode,
    dataDir,
    databaseUrl,
    masterKey,
    stripeApiBase,
    stripeApiBaseOverridden: override !== undefined,
    stripeTimeoutMs: integer(env, 'STRIPE_TIMEOUT_MS', 20_000, 120_000),
    port: integer(env, 'PORT', 3000, 65_535),
    host: env['HOST'] || (mode === 'production' ? '0.0.0.0' : '127.0.0.1'),
    rateLimit: { perSecond: integer(env, 'RATE_LIMIT_PER_SECOND', 100, 1_000_000), burst: integer(env, 'RATE_LIMIT_BURST', 200, 1_000_000) },
    leaseMilliseconds: integer(env, 'IDEMPOTENCY_LEASE_SECONDS', 120, 86_400) * 1000,
    reconcileIntervalMs: integer(env, 'RECONCILE_INTERVAL_SECONDS', 300, 86_400) * 1000,
    emulatorPort: integer(env, 'STRIPE_EMULATOR_PORT', 12111, 65_535),
    logLevel: env['LOG_LEVEL'] || 'info',
    webhooks: {
      // Local mode delivers to loopback receivers over plain http; production needs https to public addresses.
      allowHttp: flag(env, 'WEBHOOK_ALLOW_HTTP', mode === 'local'),
      allowPrivate: flag(env, 'WEBHOOK_ALLOW_PRIVATE_TARGETS', mode === 'local'),
      timeScale: fraction(env, 'WEBHOOK_TIME_SCALE', 1),
      timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_SECONDS', 15, 60, 1) * 1000,
    },
    retention: retentionOf(env),
    stripeRates: stripeRatesOf(env['STRIPE_RATE_LIMIT']),
    purgeIntervalMs: integer(env, 'PURGE_INTERVAL_SECONDS', 3_600, 86_400) * 1000,
    createStore,
    warnings,
  };
}

/** `live=80,test=20` (either may be left out: not paced), `off`, or unset (undefined: the default of ratesFor). */
function stripeRatesOf(raw: string | undefined): StripeRates | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw === 'off') return { live: null, test: null };
  const rates: StripeRates = { live: null, test: null };
  for (const part of raw.split(',')) {
    const match = /^(live|test)=(\d{1,5})$/.exec(part.trim());
    if (!match || Number(match[2]) === 0) {
      throw new ConfigurationError(`STRIPE_RATE_LIMIT must be "off" or like "live=80,test=20" (requests per second per Stripe account), not "${raw}".`);
    }
    rates[match[1] as 'live' | 'test'] = Number(match[2]);
  }
  return rates;
}

/** The retention settings, never shorter than what Stripe's own retries need. */
function retentionOf(env: NodeJS.ProcessEnv): RetentionPolicy {
  const HOUR = 3_600_000;
  const DAY = 24 * HOUR;
  const idempotencyAnswersMs = integer(env, 'IDEMPOTENCY_RETENTION_HOURS', DEFAULT_RETENTION.idempotencyAnswersMs / HOUR, 87_600, SHORTEST_RETENTION.idempotencyAnswersMs / HOUR,
    ': Stripe keeps its own idempotency answers for 24 hours, and a retry within them must replay, not charge again') * HOUR;
  const eventsMs = integer(env, 'EVENT_RETENTION_DAYS', DEFAULT_RETENTION.eventsMs / DAY, 3_650, SHORTEST_RETENTION.eventsMs / DAY,
    ': Stripe retries a webhook delivery for 3 days, and a retry must be recognised as a duplicate') * DAY;
  const ledgerDays = env['LEDGER_RETENTION_DAYS'] ? integer(env, 'LEDGER_RETENTION_DAYS', 0, 36_500, 1, ' (leave it unset to keep the ledger for good)') : null;
  return { idempotencyAnswersMs, eventsMs, ledgerMs: ledgerDays === null ? null : ledgerDays * DAY };
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw !== '0' && raw !== '1' && raw !== 'true' && raw !== 'false') throw new ConfigurationError(`${name} must be 1 or 0, not "${raw}".`);
  return raw === '1' || raw === 'true';
}

function fraction(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || value > 1) throw new ConfigurationError(`${name} must be a number above 0 and at most 1, not "${raw}".`);
  return value;
}

/** The emulator URL the local server wrote beside its store, if there is one. */
function localEmulatorUrl(dataDir: string): string | undefined {
  try {
    const { stripeEmulatorUrl } = JSON.parse(readFileSync(path.join(dataDir, 'local-credentials.json'), 'utf8')) as { stripeEmulatorUrl?: unknown };
    return typeof stripeEmulatorUrl === 'string' ? stripeEmulatorUrl : undefined;
  } catch {
    return undefined;
  }
}

interface KeyContext {
  mode: 'local' | 'production';
  dataDir: string;
  databaseUrl: string | undefined;
  createStore: boolean;
}

/** MASTER_KEY from the environment; a local SQLite store keeps its own in its folder, made with the store. */
function resolveMasterKey(raw: string | undefined, context: KeyContext, warnings: string[]): Buffer {
  if (raw) {
    try {
      return parseMasterKey(raw);
    } catch (error) {
      throw new ConfigurationError((error as Error).message);
    }
  }
  if (context.mode === 'production') {
    throw new ConfigurationError('MASTER_KEY is required in production: 32 random bytes as hex or base64 (openssl rand -base64 32).');
  }
  const { dataDir } = context;
  const file = path.join(dataDir, 'master.key');
  if (context.databaseUrl) {
    // A key file in one machine's folder cannot be the key of a database that servers elsewhere use too.
    const earlier = existsSync(file) ? ` Until now this folder's ${file} was used: set MASTER_KEY to its contents.` : ' (openssl rand -base64 32)';
    throw new ConfigurationError(`MASTER_KEY is required with DATABASE_URL: every process of the store (servers and CLI) must seal and open secrets with the same key.${earlier}`);
  }
  if (!context.createStore) {
    try {
      return parseMasterKey(readFileSync(file, 'utf8'));
    } catch {
      throw new ConfigurationError(
        `MASTER_KEY is not set and ${dataDir} holds no store (no master.key). Point DATA_DIR at the folder the server uses ` +
          '(npm start makes .data in the repository), set MASTER_KEY, or open with { createStore: true } to make a new store there.',
      );
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  try {
    // Exclusive create: when the CLI and the server start together, one writes and the other reads.
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { flag: 'wx', mode: 0o600 });
    warnings.push(`MASTER_KEY is not set: generated one into ${file}. Set MASTER_KEY (and keep it safe) outside local use.`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return parseMasterKey(readFileSync(file, 'utf8'));
}
