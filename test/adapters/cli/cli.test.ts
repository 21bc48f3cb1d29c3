import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { emulatorClient, startStripeEmulator } from '@tenant-stripe-invoices/stripe-emulator';
import { runCli, runCliAsync } from './run-built-cli';

const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-cli-'));
const env = { DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('hex') };
const cli = (args: string[], input?: string) => runCli(args, env, input);
const secretsPrinted: string[] = [];

afterAll(() => {
  // Every secret the CLI printed or was given: none may be stored in plaintext in any column of any table.
  const database = new Database(path.join(dataDir, 'service.sqlite'));
  const tables = (database.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((row) => row.name);
  const stored = tables.flatMap((table) => (database.prepare(`select * from "${table}"`).all() as Record<string, unknown>[]).flatMap(Object.values)).join('\n');
  database.close();
  expect(secretsPrinted.length).toBeGreaterThan(2);
  for (const secret of secretsPrinted) expect(stored.includes(secret)).toBe(false);
  rmSync(dataDir, { recursive: true, force: true });
});

function anApp(name = 'Acme'): string {
  const run = cli(['apps', 'create', '--name', name, '--json']);
  expect(run.code).toBe(0);
  return run.json<{ id: string }>().id;
}

describe('the operator CLI (built binary, separate process)', () => {
  it('prints help for everything and for each command', () => {
    const overview = cli(['--help']);
    expect(overview.code).toBe(0);
    for (const group of ['apps create', 'keys rotate', 'stripe set-key', 'tenants add-member', 'ledger list']) expect(overview.stdout).toContain(group);
    const keysCreate = cli(['keys', 'create', '--help']);
    expect(keysCreate.stdout).toContain('--type <read|write>');
    expect(cli([]).code).toBe(0);
  });

  it('purges what the retention no longer keeps, and refuses a retention shorter than Stripe needs', () => {
    const purged = cli(['operations', 'purge', '--json']);
    expect(purged.code).toBe(0);
    expect(purged.json()).toEqual({ idempotencyAnswers: 0, stripeEvents: 0, appEvents: 0, ledgerRows: 0 });
    const tooShort = runCli(['operations', 'purge'], { ...env, IDEMPOTENCY_RETENTION_HOURS: '23' });
    expect(tooShort.code).toBe(6);
    expect(tooShort.stderr).toContain('IDEMPOTENCY_RETENTION_HOURS must be a whole number from 24 to 87600, not "23": Stripe keeps its own idempotency answers for 24 hours');
  });

  it('creates and lists apps', () => {
    const run = cli(['apps', 'create', '--name', 'Listed', '--json']);
    expect(run.json()).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), name: 'Listed', createdAt: expect.any(String) });
    const listed = cli(['apps', 'list', '--json']).json<{ id: string }[]>();
    expect(listed.map((app) => app.id)).toContain(run.json().id);
    expect(cli(['apps', 'list']).stdout).toContain('Listed');
  });

  it('creates a key and shows its secret once; lists keys without secrets', () => {
    const appId = anApp();
    const created = cli(['keys', 'create', '--app', appId, '--type', 'write', '--expires-in-days', '30', '--json']);
    expect(created.code).toBe(0);
    const key = created.json<{ id: string; secret: string; type: string; appId: string; expiresAt: string; revokedAt: null }>();
    secretsPrinted.push(key.secret);
    expect(key).toMatchObject({ appId, type: 'write', revokedAt: null, secret: expect.stringMatching(/^tsinv_[0-9A-Za-z]{38}$/) });
    expect(new Date(key.expiresAt).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    const listed = cli(['keys', 'list', '--app', appId, '--json']);
    expect(listed.json<{ id: string }[]>().map((entry) => entry.id)).toEqual([key.id]);
    expect(listed.stdout).not.toContain('secret');
    const text = cli(['keys', 'create', '--app', appId, '--type', 'read']);
    const secret = /tsinv_[0-9A-Za-z]{38}/.exec(text.stdout)?.[0];
    expect(secret).toBeDefined();
    secretsPrinted.push(secret!);
    expect(text.stdout).toContain('shown once');
  });

  it('revokes and rotates keys', () => {
    const appId = anApp();
    const key = cli(['keys', 'create', '--app', appId, '--type', 'read', '--json']).json<{ id: string; secret: string }>();
    secretsPrinted.push(key.secret);
    const rotated = cli(['keys', 'rotate', '--key', key.id, '--overlap', '2h', '--json']);
    expect(rotated.code).toBe(0);
    const next = rotated.json<{ id: string; secret: string; type: string; previous: { id: string; expiresAt: string } }>();
    secretsPrinted.push(next.secret);
    expect(next).toMatchObject({ type: 'read', previous: { id: key.id } });
    const overlapEnds = new Date(next.previous.expiresAt).getTime() - Date.now();
    expect(overlapEnds).toBeGreaterThan(7_100_000);
    expect(overlapEnds).toBeLessThanOrEqual(7_200_000);

    const revoked = cli(['keys', 'revoke', '--key', next.id, '--json']);
    expect(revoked.json()).toMatchObject({ id: next.id, revokedAt: expect.any(String) });
    const again = cli(['keys', 'rotate', '--key', next.id, '--json']);
    expect(again.code).toBe(5);
    expect(JSON.parse(again.stderr)).toEqual({ error: { code: 'NOT_ALLOWED', message: expect.stringContaining('already revoked') } });
    const revokedTwice = cli(['keys', 'revoke', '--key', next.id, '--json']);
    expect(revokedTwice.code).toBe(5);
    expect(JSON.parse(revokedTwice.stderr)).toEqual({ error: { code: 'NOT_ALLOWED', message: expect.stringContaining('already revoked') } });
  });

  it("stores an app's Stripe keys from standard input and shows only hints", () => {
    const appId = anApp();
    const secret = 'sk_test_51CliTestSecretKeyAbCd9876';
    secretsPrinted.push(secret);
    const set = cli(['stripe', 'set-key', '--app', appId, '--mode', 'test', '--json'], `${secret}\n`);
    expect(set.code).toBe(0);
    expect(set.json()).toEqual({ mode: 'test', hint: 'sk_test_…9876', updatedAt: expect.any(String), readable: true });
    expect(cli(['stripe', 'status', '--app', appId, '--json']).json()).toEqual([set.json()]);
    const wrongMode = cli(['stripe', 'set-key', '--app', appId, '--mode', 'live', '--key', secret]);
    expect(wrongMode.code).toBe(3);
    expect(wrongMode.stderr).toContain('cannot be the app');
    expect(wrongMode.stderr).not.toContain(secret);
    const tooShort = cli(['stripe', 'set-key', '--app', appId, '--mode', 'test', '--json'], 'sk_test_demo\n');
    expect(tooShort.code).toBe(3);
    expect(JSON.parse(tooShort.stderr).error.message).toContain('sk_ or rk_, then live_ or test_, then 8 to 250 letters, digits or underscores');
  });

  it("connects an app's Stripe account to the webhook route, keeps the signing secret sealed, and replaces the endpoint when run again", async () => {
    const emulator = await startStripeEmulator();
    try {
      const appId = anApp();
      cli(['stripe', 'set-key', '--app', appId, '--mode', 'test'], 'sk_test_cliWebhooks');
      const withStripe = { ...env, STRIPE_API_BASE: emulator.url };
      const connect = () => runCliAsync(['stripe', 'connect-webhooks', '--app', appId, '--mode', 'test', '--url', 'https://billing.example.com/', '--json'], withStripe);
      const first = await connect();
      expect(first.code).toBe(0);
      const connected = first.json<{ endpointId: string }>();
      expect(connected).toMatchObject({ mode: 'test', url: `https://billing.example.com/api/v1/stripe/webhooks/${appId}/test`, endpointId: expect.stringMatching(/^we_/), hint: expect.stringMatching(/^whsec_…/) });
      const stripe = emulatorClient(emulator.url, 'sk_test_cliWebhooks');
      const [endpoint] = (await stripe.webhookEndpoints.list()).data;
      expect(endpoint).toMatchObject({ id: connected.endpointId, url: `https://billing.example.com/api/v1/stripe/webhooks/${appId}/test` });
      expect(endpoint!.enabled_events).toEqual(expect.arrayContaining(['invoice.paid', 'charge.refunded', 'customer.subscription.updated']));
      secretsPrinted.push(emulator.core.storeHolding(connected.endpointId)!.webhookSecrets.get(connected.endpointId)!);

      const again = (await connect()).json<{ endpointId: string }>();
      expect((await stripe.webhookEndpoints.list()).data.map((listed) => listed.id)).toEqual([again.endpointId]);
      secretsPrinted.push(emulator.core.storeHolding(again.endpointId)!.webhookSecrets.get(again.endpointId)!);
      expect(cli(['stripe', 'webhooks', '--app', appId]).stdout).toContain(again.endpointId);

      const byHand = 'whsec_madeInTheDashboard0000000000';
      secretsPrinted.push(byHand);
      const set = cli(['stripe', 'set-webhook-secret', '--app', appId, '--mode', 'live', '--json'], `${byHand}\n`);
      expect(set.json()).toMatchObject({ mode: 'live', hint: 'whsec_…0000', endpointId: null });
      expect(cli(['stripe', 'set-webhook-secret', '--app', appId, '--mode', 'live'], 'not-a-secret').code).toBe(3);
      expect(cli(['events', 'process', '--json']).json()).toEqual([]);
    } finally {
      await emulator.close();
    }
  });

  it('creates tenants with members, adds and removes members, and lists them', () => {
    const appId = anApp();
    const user = '11111111-1111-4111-8111-111111111111';
    const tenantId = '22222222-2222-4222-8222-222222222222';
    const created = cli(['tenants', 'create', '--app', appId, '--id', tenantId, '--country', 'de', '--live-customer', 'cus_L1', '--test-customer', 'cus_T1', '--member', user, '--json']);
    expect(created.code).toBe(0);
    expect(created.json()).toEqual({
      id: tenantId, appId, billingCountry: 'DE', customers: { live: 'cus_L1', test: 'cus_T1' }, members: [user], createdAt: expect.any(String),
    });
    expect(cli(['tenants', 'create', '--app', appId, '--id', tenantId]).code).toBe(5);
    const other = '33333333-3333-4333-8333-333333333333';
    expect(cli(['tenants', 'add-member', '--tenant', tenantId, '--user', other, '--json']).json<{ members: string[] }>().members.sort()).toEqual([user, other].sort());
    expect(cli(['tenants', 'remove-member', '--tenant', tenantId, '--user', user, '--json']).json<{ members: string[] }>().members).toEqual([other]);
    expect(cli(['tenants', 'remove-member', '--tenant', tenantId, '--user', user]).code).toBe(4);
    expect(cli(['tenants', 'list', '--app', appId, '--json']).json<{ id: string }[]>().map((tenant) => tenant.id)).toEqual([tenantId]);
  });

  it('writes nothing when any part of the input is bad', () => {
    const appId = anApp();
    const bad = cli(['tenants', 'create', '--app', appId, '--member', '11111111-1111-4111-8111-111111111111', '--member', 'not-a-uuid']);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('"not-a-uuid" is not a valid user id');
    expect(cli(['tenants', 'list', '--app', appId, '--json']).json()).toEqual([]);
    expect(cli(['tenants', 'create', '--app', appId, '--country', 'Germany']).code).toBe(3);
    expect(cli(['tenants', 'list', '--app', appId, '--json']).json()).toEqual([]);
  });

  it('reads the ledger by app or tenant', () => {
    const appId = anApp();
    expect(cli(['ledger', 'list', '--app', appId, '--json']).json()).toEqual([]);
    expect(cli(['ledger', 'list', '--app', appId]).stdout).toContain('(none)');
    expect(cli(['ledger', 'list', '--limit', '0']).code).toBe(3);
  });

  it.each([
    ['frobnicate', 2, 'Unknown command group'],
    ['keys frob', 2, 'Unknown command'],
    ['keys create --type write', 2, 'Missing --app'],
    ['apps list --colour', 2, "Unknown option '--colour'"],
    ['keys list --app not-a-uuid', 3, 'is not a valid app id'],
    ['keys list --app a0000000-0000-4000-8000-00000000000a', 4, 'No app a0000000-0000-4000-8000-00000000000a'],
  ] as const)('`%s` exits with %i', (line, code, message) => {
    const run = cli(line.split(' '));
    expect(run.code).toBe(code);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  });

  it('refuses a broken configuration with exit code 6', () => {
    const badMaster = runCli(['apps', 'list'], { DATA_DIR: dataDir, MASTER_KEY: 'too-short' });
    expect(badMaster.code).toBe(6);
    expect(badMaster.stderr).toContain('MASTER_KEY must be 32 random bytes');
    const badUrl = runCli(['apps', 'list'], { DATA_DIR: dataDir, DATABASE_URL: 'mysql://localhost/x' });
    expect(badUrl.code).toBe(6);
    const production = runCli(['apps', 'list'], { DATA_DIR: dataDir, NODE_ENV: 'production' });
    expect(production.code).toBe(6);
    expect(production.stderr).toContain('MASTER_KEY is required in production');
    const postgresWithoutKey = runCli(['apps', 'list'], { DATA_DIR: dataDir, DATABASE_URL: 'postgres://127.0.0.1:5432/test' });
    expect(postgresWithoutKey.code).toBe(6);
    expect(postgresWithoutKey.stderr).toContain('MASTER_KEY is required with DATABASE_URL');
  });

  it("refuses a MASTER_KEY that is not the store's with exit code 6, and names the store", () => {
    anApp();
    const other = runCli(['apps', 'list'], { DATA_DIR: dataDir, MASTER_KEY: randomBytes(32).toString('hex') });
    expect(other.code).toBe(6);
    expect(other.stderr).toContain(`The store (SQLite ${path.join(dataDir, 'service.sqlite')}) belongs to another MASTER_KEY`);
    expect(cli(['apps', 'list']).code).toBe(0);
  });

  const postgres = process.env['TEST_POSTGRES_URL'];
  (postgres ? it : it.skip)(`refuses a PostgreSQL database that does not exist, or a server that does not answer, with exit code 6${postgres ? '' : ' (PostgreSQL skipped: TEST_POSTGRES_URL is not set)'}`, () => {
    const missing = new URL(postgres!);
    missing.pathname = '/tsinv_no_such_database';
    const run = runCli(['apps', 'list'], { DATA_DIR: dataDir, MASTER_KEY: env.MASTER_KEY, DATABASE_URL: missing.toString() });
    expect(run.code).toBe(6);
    expect(run.stderr).toContain('does not exist');
    const closed = new URL(postgres!);
    closed.port = '1';
    const refused = runCli(['apps', 'list', '--json'], { DATA_DIR: dataDir, MASTER_KEY: env.MASTER_KEY, DATABASE_URL: closed.toString() });
    expect(refused.code).toBe(6);
    expect(JSON.parse(refused.stderr).error.message).toContain('Nothing answers');
  });
});
