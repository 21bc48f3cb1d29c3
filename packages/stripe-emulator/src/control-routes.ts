import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { EmulatorCore } from './emulator-core';
import { handleActions } from './control-actions';
import { FaultRule } from './faults';
import { hostedInvoicePage } from './hosted-invoice-page';
import { RateLimitInput } from './rate-limit';

const Config = z.strictObject({
  latency: z.strictObject({ fixedMs: z.number().min(0).max(60_000), jitterMs: z.number().min(0).max(60_000) }).optional(),
  payDraftInvoices: z.boolean().optional(),
  webhookRetryScheduleMs: z.array(z.number().int().min(0).max(86_400_000)).max(30).optional(),
  eventRetention: z.number().int().min(1).max(10_000_000).optional(),
  /** Requests per second per account: `null`/`0` off, a number, `"stripe"`, or `{ live, test }`. */
  rateLimit: RateLimitInput.optional(),
});

function configOf(core: EmulatorCore) {
  const { latency, payDraftInvoices, eventRetention, deliveries } = core.settings;
  return { latency, payDraftInvoices, eventRetention, webhookRetryScheduleMs: deliveries.retryScheduleMs, rateLimit: core.rateLimits.setting };
}

/** `GET /_emulator/rate-limits`: the limits in force and what the limiter did per account and mode. */
function rateLimitsOf(core: EmulatorCore) {
  return { rateLimit: core.rateLimits.setting, accounts: core.rateLimits.accounts() };
}

function json(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value, null, 2);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  response.end(body);
}

function parse<T>(schema: z.ZodType<T>, body: string): T | { error: string } {
  try {
    const parsed = schema.safeParse(body === '' ? {} : JSON.parse(body));
    return parsed.success ? parsed.data : { error: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') };
  } catch {
    return { error: 'The body is not JSON.' };
  }
}

function isError(value: unknown): value is { error: string } {
  return typeof value === 'object' && value !== null && 'error' in value;
}

/**
 * The control surface for tests, benchmarks and people: stats, the request log, fault switches, latency, the rate
 * limit and its counters, reset, and the hosted invoice page that invoices link to. None of it is rate limited.
 */
export function handleControl(core: EmulatorCore, method: string, url: URL, body: string, response: ServerResponse): void {
  const route = `${method} ${url.pathname}`;
  const hosted = /^\/_emulator\/hosted\/invoices\/([^/]+)(\/pdf)?$/.exec(url.pathname);
  if (method === 'GET' && hosted) {
    const store = core.storeHolding(hosted[1]!);
    const invoice = store?.invoices.get(hosted[1]!);
    if (!store || !invoice) return json(response, 404, { error: 'No such invoice.' });
    const page = hostedInvoicePage(invoice, store.intentOfInvoice(invoice.id));
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) });
    return void response.end(page);
  }
  switch (route) {
    case 'GET /_emulator/health':
      return json(response, 200, { ok: true });
    case 'GET /_emulator/stats':
      return json(response, 200, core.stats());
    case 'GET /_emulator/requests': {
      const since = Number(url.searchParams.get('since') ?? 0);
      const operation = url.searchParams.get('operation');
      return json(response, 200, core.requests.filter((entry) => entry.seq > since && (!operation || entry.operation === operation)));
    }
    case 'DELETE /_emulator/requests':
      core.requests.length = 0;
      return json(response, 200, { cleared: true });
    case 'GET /_emulator/faults':
      return json(response, 200, core.faults.list());
    case 'POST /_emulator/faults': {
      const rules = parse(z.union([FaultRule, z.array(FaultRule)]), body);
      if (isError(rules)) return json(response, 400, rules);
      for (const rule of Array.isArray(rules) ? rules : [rules]) core.faults.add(rule);
      return json(response, 200, core.faults.list());
    }
    case 'DELETE /_emulator/faults':
      core.faults.clear();
      return json(response, 200, []);
    case 'GET /_emulator/config':
      return json(response, 200, configOf(core));
    case 'POST /_emulator/config': {
      const config = parse(Config, body);
      if (isError(config)) return json(response, 400, config);
      if (config.latency) core.settings.latency = config.latency;
      if (config.payDraftInvoices !== undefined) core.settings.payDraftInvoices = config.payDraftInvoices;
      if (config.webhookRetryScheduleMs) core.settings.deliveries.retryScheduleMs = config.webhookRetryScheduleMs;
      if (config.eventRetention) core.settings.eventRetention = config.eventRetention;
      if (config.rateLimit !== undefined) core.rateLimits.configure(config.rateLimit);
      return json(response, 200, configOf(core));
    }
    case 'GET /_emulator/rate-limits':
      return json(response, 200, rateLimitsOf(core));
    case 'DELETE /_emulator/rate-limits':
      core.rateLimits.reset();
      return json(response, 200, rateLimitsOf(core));
    case 'POST /_emulator/reset':
      core.reset();
      core.onChange?.();
      return json(response, 200, { reset: true });
    default:
      if (handleActions(core, method, url, body, response, (status, value) => json(response, status, value))) return;
      return json(response, 404, { error: `No control route ${route}.` });
  }
}
