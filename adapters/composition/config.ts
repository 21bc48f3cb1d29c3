import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseMasterKey } from '../sql/secret-box';
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
  warnings: string[];
}

export class ConfigurationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigurationError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) throw new ConfigurationError(`${name} must be a whole number from 0 to ${max}, not "${raw}".`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const mode = env['NODE_ENV'] === 'production' ? 'production' : 'local';
  const dataDir = path.resolve(env['DATA_DIR'] || '.data');
  const databaseUrl = env['DATABASE_URL'] || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigurationError('DATABASE_URL must be a postgres:// URL; leave it unset for the embedded SQLite store.');
  }
  const warnings: string[] = [];
  const masterKey = resolveMasterKey(env['MASTER_KEY'], mode, dataDir, warnings);
  const override = env['STRIPE_API_BASE'] || undefined;
  if (override && !/^https?:\/\/[^/]+\/?$/.test(override)) {
    throw new ConfigurationError('STRIPE_API_BASE must be a base URL such as http://127.0.0.1:12111.');
  }
  return {
    mode,
    dataDir,
    databaseUrl,
    masterKey,
    stripeApiBase: override ?? STRIPE_API,
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
      timeoutMs: Math.max(1, integer(env, 'WEBHOOK_TIMEOUT_SECONDS', 15, 60)) * 1000,
    },
    warnings,
  };
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

/** MASTER_KEY from the environment; in local mode one is generated into the data folder on first use. */
function resolveMasterKey(raw: string | undefined, mode: 'local' | 'production', dataDir: string, warnings: string[]): Buffer {
  if (raw) {
    try {
      return parseMasterKey(raw);
    } catch (error) {
      throw new ConfigurationError((error as Error).message);
    }
  }
  if (mode === 'production') {
    throw new ConfigurationError('MASTER_KEY is required in production: 32 random bytes as hex or base64 (openssl rand -base64 32).');
  }
  const file = path.join(dataDir, 'master.key');
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
