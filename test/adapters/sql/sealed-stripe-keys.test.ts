import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Secret } from '../../../application/secret';
import { openDatabase, type SqlDatabase } from '../../../adapters/sql/open-database';
import { SecretBox, parseMasterKey } from '../../../adapters/sql/secret-box';
import { StripeKeyUnreadable } from '../../../application/errors';
import { SqlApps } from '../../../adapters/sql/sql-apps';
import { SqlStripeAccounts } from '../../../adapters/sql/sql-stripe-accounts';
import { parseAppId } from '../../../domain/ids';

const APP = parseAppId('a0000000-0000-4000-8000-00000000000a');
const OTHER = parseAppId('b0000000-0000-4000-8000-00000000000b');
const KEY = 'sk_test_51AbCdEfGhIjKlMnOp4242';

let dataDir: string;
let database: SqlDatabase;
beforeEach(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-sealed-'));
  database = await openDatabase({ dataDir });
  for (const id of [APP, OTHER]) await new SqlApps(database).create({ id, name: id, createdAt: new Date() });
});
afterEach(async () => {
  await database.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Stripe secret keys at rest (AES-256-GCM, app and mode as associated data)', () => {
  const masterKey = randomBytes(32);
  const accounts = (key = masterKey) => new SqlStripeAccounts(database, new SecretBox(key));

  it('stores only ciphertext and opens it with the right master key', async () => {
    await accounts().set(APP, 'test', new Secret(KEY), new Date());
    const row = await database.db.selectFrom('stripe_accounts').selectAll().executeTakeFirstOrThrow();
    expect(row.sealed_key).not.toContain('51AbCdEf');
    expect(row.sealed_key).toMatch(/^v1\./);
    expect((await accounts().find(APP, 'test'))?.secretKey.reveal()).toBe(KEY);
  });

  it('fails closed with a clear error under another master key', async () => {
    await accounts().set(APP, 'test', new Secret(KEY), new Date());
    const error = await accounts(randomBytes(32)).find(APP, 'test').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeKeyUnreadable);
    expect(error).toMatchObject({ code: 'STRIPE_ACCOUNT_MISCONFIGURED', mode: 'test' });
    expect((error as Error).message).toBe(
      "This app's test Stripe key cannot be opened with this server's MASTER_KEY; an operator must set the key again or fix MASTER_KEY.",
    );
    expect((error as Error).message).not.toContain(KEY);
  });

  it('fails closed when the stored value was altered', async () => {
    await accounts().set(APP, 'test', new Secret(KEY), new Date());
    const row = await database.db.selectFrom('stripe_accounts').selectAll().executeTakeFirstOrThrow();
    const [version, iv, tag, ciphertext] = row.sealed_key.split('.');
    const flipped = Buffer.from(ciphertext!, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    await database.db.updateTable('stripe_accounts').set({ sealed_key: [version, iv, tag, flipped.toString('base64')].join('.') }).execute();
    await expect(accounts().find(APP, 'test')).rejects.toBeInstanceOf(StripeKeyUnreadable);
  });

  it("fails closed for a sealed key copied to another app's row or to the other mode", async () => {
    await accounts().set(APP, 'test', new Secret(KEY), new Date());
    const { sealed_key } = await database.db.selectFrom('stripe_accounts').select('sealed_key').executeTakeFirstOrThrow();
    await database.db.insertInto('stripe_accounts').values([
      { app_id: OTHER, mode: 'test', sealed_key, hint: 'x', updated_at: Date.now() },
      { app_id: APP, mode: 'live', sealed_key, hint: 'x', updated_at: Date.now() },
    ]).execute();
    await expect(accounts().find(OTHER, 'test')).rejects.toBeInstanceOf(StripeKeyUnreadable);
    await expect(accounts().find(APP, 'live')).rejects.toBeInstanceOf(StripeKeyUnreadable);
  });
});

describe('MASTER_KEY', () => {
  it('takes 32 bytes as hex or base64, and refuses anything else', () => {
    const bytes = randomBytes(32);
    expect(parseMasterKey(bytes.toString('hex'))).toEqual(bytes);
    expect(parseMasterKey(` ${bytes.toString('base64')}\n`)).toEqual(bytes);
    for (const bad of ['', 'secret', randomBytes(16).toString('hex'), randomBytes(31).toString('base64')]) {
      expect(() => parseMasterKey(bad)).toThrow('MASTER_KEY must be 32 random bytes');
    }
  });
});
