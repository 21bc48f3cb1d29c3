import { connect } from 'node:net';
import fc from 'fast-check';
import { contentType, graphqlRequest, headerValue, method, rawRequest, requestBody, tenantSegment } from './arbitraries';
import { startFuzzWorld, type FuzzWorld } from './fuzz-world';

// Schema-driven fuzzing of REST and GraphQL (`npm test` runs it at CI size; `npm run test:fuzz` runs FUZZ_SCALE times
// more). Pass: no 5xx, every body the documented envelope or GraphQL's error shape, no stack trace, path or secret.

const SCALE = Number(process.env['FUZZ_SCALE'] ?? 1);
const seed = Number(process.env['FC_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
const LISTED_CODES = new Set([
  'VALIDATION_FAILED', 'TENANT_MISMATCH', 'PRICE_NOT_USABLE', 'TAX_RATE_NOT_APPLICABLE', 'UNAUTHENTICATED', 'PAYMENT_DECLINED',
  'NO_PAYMENT_METHOD', 'FORBIDDEN', 'NOT_FOUND', 'METHOD_NOT_ALLOWED', 'IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED',
  'RATE_LIMITED', 'INTERNAL', 'UPSTREAM_UNAVAILABLE', 'STRIPE_ACCOUNT_MISCONFIGURED',
]);
/** What an answer must never show: a stack frame, a file of this machine, an internal error name. */
const LEAKS = /\bat [\w.<>]+ \(|\.ts:\d+|\/work\/|node_modules|FST_ERR|TypeError|RangeError|SyntaxError: Unexpected/;

let world: FuzzWorld;
const counts = { rest: 0, raw: 0, graphql: 0 };

beforeAll(async () => {
  console.info(`fuzz seed ${seed} (FC_SEED=${seed} replays it), scale ${SCALE}`);
  world = await startFuzzWorld();
}, 30_000);

afterAll(async () => {
  console.info(`fuzz sent ${counts.rest} REST requests, ${counts.raw} raw HTTP requests and ${counts.graphql} GraphQL documents`);
  await world?.close();
});

function noLeaks(text: string): void {
  expect(text).not.toMatch(LEAKS);
  for (const secret of world.secrets) expect(text).not.toContain(secret);
}

/** The error envelope with a listed code, or (on success) the documented success envelope. */
function expectEnvelope(status: number, text: string): void {
  const json = JSON.parse(text) as Record<string, unknown>;
  if (status === 201) {
    expect(json).toMatchObject({ success: true, error: null, message: expect.any(String), data: expect.objectContaining({ invoice: expect.any(Object) }) });
    return;
  }
  if (status === 200) {
    expect(json).toMatchObject({ success: true, error: null, message: expect.any(String), data: { invoices: expect.any(Array), hasMore: expect.any(Boolean) } });
    return;
  }
  expect(json).toMatchObject({ success: false, error: expect.any(String), message: null, data: null });
  expect(LISTED_CODES.has(String(json['code']))).toBe(true);
}

function raw(text: string): Promise<{ answered: boolean; status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(world.port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const split = answer.indexOf('\r\n\r\n');
      resolve({ answered: answer !== '', status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1]), body: split < 0 ? '' : answer.slice(split + 4) });
    });
    setTimeout(() => socket.destroy(), 5_000);
  });
}

describe('fuzzing the HTTP server', () => {
  it('answers 5 000 generated REST requests in the envelope, never with a 5xx', async () => {
    const request = fc.record({
      method,
      tenant: tenantSegment(world.tenantId),
      alias: fc.boolean(),
      body: requestBody(world.validBody),
      contentType,
      credentials: fc.oneof(
        { weight: 6, arbitrary: fc.constant(world.credentials) },
        { weight: 1, arbitrary: fc.constant(world.readCredentials) },
        { weight: 2, arbitrary: fc.record({ 'x-api-key': headerValue, 'x-api-key-type': headerValue, 'x-client-id': headerValue }, { requiredKeys: [] }) },
      ),
      idempotencyKey: fc.option(headerValue, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (sent) => {
        counts.rest += 1;
        const path = `${sent.alias ? '/v1' : '/api/v1'}/tenants/${sent.tenant}/stripe-invoices`;
        const headers: Record<string, string> = { ...sent.credentials, ...(sent.contentType ? { 'content-type': sent.contentType } : {}) };
        if (sent.idempotencyKey !== undefined) headers['idempotency-key'] = sent.idempotencyKey;
        const withBody = !['GET', 'HEAD'].includes(sent.method);
        const response = await fetch(`${world.baseUrl}${path}`, { method: sent.method, headers, ...(withBody ? { body: sent.body } : {}) });
        const text = await response.text();
        expect(response.status).toBeLessThan(500);
        noLeaks(text);
        if (sent.method === 'HEAD') expect(text).toBe('');
        else expectEnvelope(response.status, text);
      }),
      { seed, numRuns: 5_000 * SCALE },
    );
  }, 600_000);

  it('answers 500 raw requests no client library would send in the envelope, never with a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(rawRequest, async (text) => {
        counts.raw += 1;
        const answer = await raw(text);
        // Only blank lines, which HTTP says to skip before a request: there is no request to answer.
        if (!answer.answered) return expect(text.trim()).toBe('');
        expect(answer.status).toBeGreaterThanOrEqual(200);
        expect(answer.status).toBeLessThan(500);
        noLeaks(answer.body);
        if (answer.status < 400) return;
        const graphqlShaped = /^[A-Z]+ \/graphql/.test(text) && Array.isArray((JSON.parse(answer.body) as { errors?: unknown }).errors);
        if (!graphqlShaped) expectEnvelope(answer.status, answer.body);
      }),
      { seed, numRuns: 500 * SCALE },
    );
  }, 600_000);

  it('answers 2 000 generated GraphQL documents with data or GraphQL errors, never with a 5xx', async () => {
    const request = fc.record({
      body: graphqlRequest({ tenantId: world.tenantId, input: world.validBody }),
      get: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 9, arbitrary: fc.constant(false) }),
      contentType: fc.constantFrom('application/json', 'application/json', 'application/graphql+json', 'text/plain', 'application/x-www-form-urlencoded'),
    });
    await fc.assert(
      fc.asyncProperty(request, async (sent) => {
        counts.graphql += 1;
        const body = typeof sent.body === 'string' ? sent.body : JSON.stringify(sent.body);
        const response = sent.get && typeof sent.body === 'object' && typeof sent.body['query'] === 'string'
          ? await fetch(`${world.baseUrl}/graphql?query=${encodeURIComponent(sent.body['query'].replace(/[\ud800-\udfff]/g, ''))}`, { headers: world.credentials })
          : await fetch(`${world.baseUrl}/graphql`, { method: 'POST', headers: { ...world.credentials, 'content-type': sent.contentType }, body });
        const text = await response.text();
        expect(response.status).toBeLessThan(500);
        noLeaks(text);
        const json = JSON.parse(text) as { data?: unknown; errors?: { message: unknown }[]; success?: unknown };
        if (json.success === false) return expectEnvelope(response.status, text); // refused before GraphQL (415, 413)
        expect(json.data !== undefined || Array.isArray(json.errors)).toBe(true);
        for (const error of json.errors ?? []) expect(typeof error.message).toBe('string');
      }),
      { seed, numRuns: 2_000 * SCALE },
    );
  }, 600_000);

  it('logged no unexpected error while doing so', () => {
    const errors = world.logs.filter((line) => line.includes('"level":50'));
    expect(errors).toEqual([]);
  });
});
