import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../adapters/cli/run-built-cli';
import { freePort, startNode, type RunningProcess } from './processes';

// The built server in production mode, sent what no well-behaved client sends.

const root = mkdtempSync(path.join(tmpdir(), 'tsinv-hostile-'));
const dataDir = path.join(root, 'data');
const env = { DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('base64'), RECONCILE_INTERVAL_SECONDS: '0' };
let server: RunningProcess;
let port: number;
let credentials: Record<string, string>;

beforeAll(async () => {
  const app = runCli(['apps', 'create', '--name', 'Hostile', '--json'], env).json<{ id: string }>();
  const key = runCli(['keys', 'create', '--app', app.id, '--type', 'write', '--json'], env).json<{ secret: string }>();
  credentials = { 'content-type': 'application/json', 'x-api-key': key.secret, 'x-api-key-type': 'write', 'x-client-id': app.id };
  port = await freePort();
  server = await startNode('main.js', [], { ...env, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: String(port), STRIPE_API_BASE: 'http://127.0.0.1:9' }, /"msg":"listening"/);
}, 60_000);

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
  rmSync(root, { recursive: true, force: true });
});

/** Sends `text` as it is on a new connection and answers what came back, split into status, headers and body. */
function raw(text: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(text));
    let answer = '';
    socket.on('data', (chunk) => (answer += String(chunk)));
    socket.on('error', reject);
    socket.on('close', () => {
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]), head, body });
    });
    setTimeout(() => socket.destroy(), 3_000);
  });
}

const ENVELOPE = { success: false, error: expect.any(String), message: null, data: null };

describe('hostile requests to the production server', () => {
  it.each([
    ['a CR inside a header', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\rb\r\n\r\n', 400],
    ['a bad chunk size', 'POST /graphql HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', 400],
    ['an unknown method', 'FOO /healthz HTTP/1.1\r\nHost: x\r\n\r\n', 400],
    ['a NUL in the Content-Type', 'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/js\0on\r\nContent-Length: 2\r\n\r\n{}', 400],
    ['headers over 16 KiB', `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431],
    ['a path segment of 300 characters', `POST /api/v1/tenants/${'a'.repeat(300)}/stripe-invoices HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`, 414],
    ['%ff in the URL', 'POST /api/v1/tenants/%ff/stripe-invoices HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n', 400],
    ['PUT on /graphql', 'PUT /graphql HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n', 405],
    ['DELETE on the invoices path', 'DELETE /api/v1/tenants/x/stripe-invoices HTTP/1.1\r\nHost: x\r\n\r\n', 405],
    ['an unknown path', 'GET /admin HTTP/1.1\r\nHost: x\r\n\r\n', 404],
    ['no Host header', 'GET /nowhere HTTP/1.1\r\n\r\n', 404],
    ['not HTTP at all', 'hello\r\n\r\n', 400],
  ])('answers %s in the envelope, with a listed code', async (_name, request, status) => {
    const answer = await raw(request);
    expect(answer.status).toBe(status);
    const body = JSON.parse(answer.body) as Record<string, unknown>;
    expect(body).toMatchObject(ENVELOPE);
    expect(['VALIDATION_FAILED', 'NOT_FOUND', 'METHOD_NOT_ALLOWED']).toContain(body['code']);
    expect(answer.body).not.toMatch(/a{101}|FST_|Error:|at .*:\d+/);
    if (status === 405) expect(answer.head.toLowerCase()).toContain('allow: ');
  });

  it('answers HEAD with the envelope headers and, as HTTP demands, no body', async () => {
    const answer = await raw('HEAD /nowhere HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(answer.status).toBe(404);
    expect(answer.head.toLowerCase()).toContain('content-type: application/json');
    expect(answer.body).toBe('');
  });

  it.each([500, 2_000, 5_000])('refuses a GraphQL document nested %i levels deep before parsing it', async (depth) => {
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const query = `mutation { createStripeInvoice(tenantId: "x", input: { price: ${nested}, taxRate: "t", mode: payment, quantity: 1, userId: "u" }) { __typename } }`;
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: credentials, body: JSON.stringify({ query }) });
    expect(response.status).toBeLessThan(500);
    const json = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(json.errors[0]).toMatchObject({ message: expect.stringMatching(/nests deeper than 32 levels/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  });

  it('keeps its data folder and database files to its owner', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const file of ['service.sqlite', 'service.sqlite-wal', 'service.sqlite-shm']) {
      expect([file, statSync(path.join(dataDir, file)).mode & 0o777]).toEqual([file, 0o600]);
    }
  });

  it('logged nothing at error level for any of it', () => {
    expect(server.output().split('\n').filter((line) => line.includes('"level":50'))).toEqual([]);
  });
});
