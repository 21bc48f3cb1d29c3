import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readmeExample } from '../support/readme-examples';
import { freePort, startNode, type RunningProcess } from './processes';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-local-'));
let env: Record<string, string>;
let server: RunningProcess;

const BANNER_DONE = /The same over GraphQL:[\s\S]*-d '\{"query"[^\n]*'\n/;

function bash(script: string): Record<string, any> {
  return JSON.parse(execFileSync('bash', ['-c', script], { env: { ...env, PATH: process.env['PATH'] ?? '' }, encoding: 'utf8', timeout: 20_000 })) as Record<string, any>;
}

/** The command the banner printed after `heading`: what a person pastes (the server's JSON log lines left out). */
function printed(output: string, heading: string): string {
  const banner = output.split('\n').filter((line) => !line.startsWith('{"level":')).join('\n');
  const start = banner.indexOf(heading) + heading.length;
  return banner.slice(start).trimStart().split('\n\n')[0]!;
}

function credentials(): Record<string, any> {
  return JSON.parse(readFileSync(path.join(dataDir, 'local-credentials.json'), 'utf8')) as Record<string, any>;
}

beforeAll(async () => {
  env = { DATA_DIR: dataDir, PORT: String(await freePort()), STRIPE_EMULATOR_PORT: String(await freePort()) };
  server = await startNode('main.js', [], env, BANNER_DONE);
}, 60_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start: local mode on embedded defaults', () => {
  it('writes local-credentials.json with exactly the documented shape', () => {
    const saved = credentials();
    expect(Object.keys(saved)).toEqual(['baseUrl', 'stripeEmulatorUrl', 'stripeSecretKeys', 'clientId', 'writeKey', 'readKey', 'priceOneTime', 'priceRecurring', 'taxRate', 'tenants']);
    expect(Object.keys(saved['tenants'])).toEqual(['pays', 'declines', 'requiresAction']);
    for (const tenant of Object.values(saved['tenants'])) expect(Object.keys(tenant as object)).toEqual(['tenantId', 'userId']);
    expect(saved).toMatchObject({
      baseUrl: `http://127.0.0.1:${env['PORT']}`,
      stripeEmulatorUrl: `http://127.0.0.1:${env['STRIPE_EMULATOR_PORT']}`,
      stripeSecretKeys: { test: 'sk_test_localEmulator', live: 'sk_live_localEmulator' },
      writeKey: expect.stringMatching(/^tsinv_/),
      readKey: expect.stringMatching(/^tsinv_/),
      priceOneTime: expect.stringMatching(/^price_/),
      taxRate: expect.stringMatching(/^txr_/),
    });
  });

  it('prints a curl command that answers 201 with a succeeded PaymentIntent when pasted', () => {
    const answer = bash(printed(server.output(), 'Charge the paying tenant (REST):'));
    expect(answer).toMatchObject({ success: true, data: { paymentIntents: { object: 'payment_intent', status: 'succeeded' } } });
  });

  it('prints a GraphQL example that succeeds when pasted', () => {
    const answer = bash(printed(server.output(), 'The same over GraphQL:'));
    expect(answer['data'].createStripeInvoice).toMatchObject({ __typename: 'CreateStripeInvoiceSuccess', status: 'succeeded' });
  });

  it("runs the README's examples as written", () => {
    const rest = bash(`${readmeExample('env')}\n${readmeExample('rest')}`);
    expect(rest).toMatchObject({ success: true, data: { paymentIntents: { status: 'succeeded', amount: 4758 } } });
    const graphql = bash(`${readmeExample('env')}\n${readmeExample('graphql')}`);
    expect(graphql['data'].createStripeInvoice).toMatchObject({ status: 'succeeded', subscription: { status: 'active' } });
    expect(bash(`${readmeExample('env')}\n${readmeExample('rest')}`)).toEqual(rest); // the same key replays
    const listed = bash(`${readmeExample('env')}\n${readmeExample('list')}`);
    expect(listed).toMatchObject({ success: true, data: { hasMore: expect.any(Boolean) } });
    expect(listed['data'].invoices[0]).toMatchObject({ id: graphql['data'].createStripeInvoice.invoice?.id ?? expect.stringMatching(/^in_/), paymentStatus: 'succeeded', livemode: false });
    expect(listed['data'].invoices.map((invoice: { id: string }) => invoice.id)).toContain(rest['data'].invoice.id);
    const preview = bash(`${readmeExample('env')}\n${readmeExample('preview')}`);
    expect(preview).toMatchObject({ success: true, data: { preview: { subtotal: 5997, tax: 1139, total: 7136, currency: 'usd' } } });
    const secured = bash(`${readmeExample('env')}\n${readmeExample('3ds')}`);
    expect(secured).toMatchObject({ success: true, data: { invoice: { status: 'paid', paymentStatus: 'succeeded' } } });
    const read = bash(`${readmeExample('env')}\n${readmeExample('graphql-read')}`);
    expect(read['data'].tenant.invoices.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual(
      listed['data'].invoices.map((invoice: { id: string }) => invoice.id),
    );
  });

  it('lets a charge in flight finish on SIGTERM, then exits 0', async () => {
    const saved = credentials();
    await fetch(`${saved['stripeEmulatorUrl']}/_emulator/config`, { method: 'POST', body: JSON.stringify({ latency: { fixedMs: 400, jitterMs: 0 } }) });
    const pays = saved['tenants'].pays;
    const inFlight = fetch(`${saved['baseUrl']}/api/v1/tenants/${pays.tenantId}/stripe-invoices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': saved['writeKey'], 'x-api-key-type': 'write', 'x-client-id': saved['clientId'] },
      body: JSON.stringify({ price: saved['priceOneTime'], taxRate: saved['taxRate'], mode: 'payment', quantity: 1, userId: pays.userId, test: true }),
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exit = server.stop('SIGTERM');
    const response = await inFlight;
    expect(response.status).toBe(201);
    expect(await exit).toBe(0);
  }, 20_000);

  it('reuses everything on restart', async () => {
    const before = credentials();
    server = await startNode('main.js', [], env, BANNER_DONE);
    expect(server.output()).toContain('(reused from the last run)');
    const after = credentials();
    expect(after).toEqual(before);
    const stats = (await (await fetch(`${after['stripeEmulatorUrl']}/_emulator/stats`)).json()) as Record<string, Record<string, number>>;
    expect(stats['test']?.['invoices']).toBeGreaterThanOrEqual(5); // the invoices of the runs before are still there
    const answer = bash(printed(server.output(), 'Charge the paying tenant (REST):'));
    expect(answer['data'].paymentIntents.status).toBe('succeeded');
  }, 30_000);
});
