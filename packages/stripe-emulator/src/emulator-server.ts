import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { handleControl } from './control-routes';
import { EmulatorCore, errorBody, type Mode } from './emulator-core';
import { EmulatorError, invalidRequest } from './emulator-errors';
import type { FaultRule } from './faults';
import { decodeForm, type FormObject } from './form-body';
import { fingerprintOf } from './idempotency';
import { stripeObjectId } from './object-ids';
import { RATE_LIMITED_HEADERS, rateLimitError, type RateLimitInput } from './rate-limit';
import { persistTo } from './state-file';

export interface EmulatorOptions {
  port?: number;
  host?: string;
  latency?: { fixedMs: number; jitterMs: number };
  payDraftInvoices?: boolean;
  /** Keep every object and idempotent answer in this file, written before each answer (see state-file.ts). */
  stateFile?: string;
  /** Events kept per account and mode (default 10 000). */
  eventRetention?: number;
  /** Waits between webhook delivery attempts after a failed one (default 1, 2, 4, 8, 16 and 32 seconds). */
  webhookRetryScheduleMs?: number[];
  /**
   * Stripe's per-account request rate limit (a token bucket, see rate-limit.ts): `'stripe'` (100/s live, 25/s test),
   * a number for both modes, or `{ live, test }`; off (`null`, the default) unless given.
   */
  rateLimit?: RateLimitInput;
}

export const DEFAULT_RETRY_SCHEDULE_MS = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000];

export interface RunningEmulator {
  url: string;
  port: number;
  host: string;
  core: EmulatorCore;
  close(): Promise<void>;
}

const BODY_LIMIT = 1_000_000;

/** Starts the emulator on loopback (port 0: any free port) and resolves once it listens. */
export async function startStripeEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = options.host ?? '127.0.0.1';
  const core = new EmulatorCore({
    baseUrl: '',
    payDraftInvoices: options.payDraftInvoices ?? true,
    latency: options.latency ?? { fixedMs: 0, jitterMs: 0 },
    eventRetention: options.eventRetention ?? 10_000,
    deliveries: { retryScheduleMs: options.webhookRetryScheduleMs ?? DEFAULT_RETRY_SCHEDULE_MS, timeoutMs: 10_000 },
  });
  core.rateLimits.configure(options.rateLimit ?? null);
  const state = options.stateFile ? persistTo(core, options.stateFile) : undefined;
  const server = createServer((request, response) => {
    handle(core, request, response).catch((error: unknown) => {
      if (!response.headersSent && !response.destroyed) {
        respond(response, 500, JSON.stringify({ error: { type: 'api_error', message: `Emulator bug: ${String(error)}` } }));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;
  core.settings.baseUrl = url;
  core.webhooks.start();
  return {
    url,
    port,
    host,
    core,
    close: async () => {
      core.webhooks.stop();
      await closeServer(server);
      state?.save();
    },
  };
}

async function handle(core: EmulatorCore, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const started = Date.now();
  const requestId = stripeObjectId('req');
  const url = new URL(request.url ?? '/', 'http://emulator');
  const method = request.method ?? 'GET';
  if (url.pathname.startsWith('/_emulator/')) return handleControl(core, method, url, await readBody(request), response);

  const entry = { method, path: url.pathname, operation: null as string | null, mode: null as Mode | null, idempotencyKey: null as string | null, replayed: false, fault: null as string | null, rateLimited: false };
  const finish = (status: number | 'reset' | 'dropped') => core.record({ ...entry, status, durationMs: Date.now() - started });
  try {
    const body = await readBody(request);
    const { account, mode } = core.authenticate(request.headers.authorization);
    entry.mode = mode;
    const resolved = core.resolve(method, url.pathname);
    entry.operation = resolved?.route.operation ?? null;
    const key = method === 'GET' ? undefined : headerOf(request, 'idempotency-key');
    entry.idempotencyKey = key ?? null;
    // Stripe's limiter stands in front of everything else: a refused request is not executed and leaves nothing under
    // its idempotency key.
    if (!core.rateLimits.admit(account, mode)) {
      entry.rateLimited = true;
      respond(response, 429, errorBody(rateLimitError(mode)), RATE_LIMITED_HEADERS);
      return finish(429);
    }
    if (!resolved) throw invalidRequest(`Unrecognized request URL (${method}: ${url.pathname}).`, {}, 404);
    const values: FormObject = method === 'POST' ? decodeForm(body) : decodeForm(url.search.slice(1));

    const scope = `${mode}:${account}`;
    if (key) {
      const decision = core.idempotency.begin(scope, key, `${method} ${url.pathname}`, fingerprintOf(values));
      if (decision.kind === 'refuse') throw decision.error;
      if (decision.kind === 'replay') {
        entry.replayed = true;
        respond(response, decision.status, decision.body, { 'Idempotent-Replayed': 'true', 'Idempotency-Key': key });
        return finish(decision.status);
      }
    }

    const { fixedMs, jitterMs } = core.settings.latency;
    if (fixedMs + jitterMs > 0) await sleep(fixedMs + Math.random() * jitterMs);
    const fault = core.faults.takeFor(resolved.route.operation, mode);
    entry.fault = fault?.kind ?? null;
    const early = fault && earlyFault(fault);
    if (early !== undefined) {
      if (key) core.idempotency.abandon(scope, key);
      if (early === 'reset') {
        request.socket.destroy();
        return finish('reset');
      }
      respond(response, early.status, errorBody(early), early.status === 429 ? { 'Retry-After': '1' } : {});
      return finish(early.status);
    }
    if (fault?.kind === 'timeout') await sleep(fault.delayMs ?? 30_000);

    const result = core.run(resolved.route, resolved.ids, account, mode, values, { id: requestId, idempotencyKey: key ?? null });
    if (key) {
      if (result.replayable) core.idempotency.finish(scope, key, result.status, result.body);
      else core.idempotency.abandon(scope, key);
    }
    if (fault?.kind === 'drop_after') {
      if (method !== 'GET') core.onChange?.();
      request.socket.destroy();
      return finish('dropped');
    }
    if (method !== 'GET') core.onChange?.();
    respond(response, result.status, result.body, { 'Request-Id': requestId, ...(key ? { 'Idempotency-Key': key } : {}) });
    return finish(result.status);
  } catch (error) {
    if (!(error instanceof EmulatorError)) throw error;
    respond(response, error.status, errorBody(error));
    return finish(error.status);
  }
}

/** A fault that hits before the work: an error answer, or a reset connection. */
function earlyFault(fault: FaultRule): EmulatorError | 'reset' | undefined {
  switch (fault.kind) {
    case 'rate_limit':
      return invalidRequest('Too many requests hit the API too quickly.', { code: 'rate_limit' }, 429);
    case 'server_error':
      return new EmulatorError(500, { type: 'api_error', message: 'An unknown error occurred. (emulated)' }, false);
    case 'unavailable':
      return new EmulatorError(503, { type: 'api_error', message: 'The service is temporarily unavailable. (emulated)' }, false);
    case 'reset_before':
      return 'reset';
    default:
      return undefined;
  }
}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) throw invalidRequest('Request body too large.', {}, 413);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function respond(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (response.destroyed) return;
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(body),
    'Request-Id': stripeObjectId('req'),
    ...headers,
  });
  response.end(body);
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
