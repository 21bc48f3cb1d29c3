import { spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'libsql';
import { ConfigurationError, loadConfig } from '../../../adapters/composition/config';
import { openService } from '../../../adapters/composition/open-service';
import { SecretBox } from '../../../adapters/sql/secret-box';
import { startLiveService } from '../../support/live-service';
import { freePort, startNode } from '../../e2e/processes';

// A store belongs to one master key, and a program that meant an existing store never gets a new, empty one.

const folders: string[] = [];
const folder = () => {
  const made = mkdtempSync(path.join(tmpdir(), 'tsinv-ownership-'));
  folders.push(made);
  return made;
};
afterAll(() => {
  for (const made of folders) rmSync(made, { recursive: true, force: true });
});
const key = () => randomBytes(32).toString('hex');
const MAIN = path.resolve(__dirname, '../../../dist/adapters/composition/main.js');

describe('a program that meant an existing store', () => {
  it('is refused, with what to do, where DATA_DIR holds no store and no MASTER_KEY is set; nothing is made there', () => {
    const empty = folder();
    expect(() => loadConfig({ DATA_DIR: empty })).toThrow(ConfigurationError);
    expect(() => loadConfig({ DATA_DIR: empty })).toThrow(/holds no store .*Point DATA_DIR at the folder the server uses/);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('is refused where DATA_DIR holds no database, even with a MASTER_KEY; the server and the CLI do make one', async () => {
    const empty = folder();
    await expect(openService(loadConfig({ DATA_DIR: empty, MASTER_KEY: key() }))).rejects.toThrow(/holds no store \(no service\.sqlite\)/);
    expect(existsSync(path.join(empty, 'service.sqlite'))).toBe(false);
    const service = await openService(loadConfig({ DATA_DIR: empty }, { createStore: true }));
    await service.close();
    // Made once, the store (and its master key file) opens without asking again.
    const again = await openService(loadConfig({ DATA_DIR: empty }));
    expect(await again.ready()).toBe(true);
    await again.close();
  });

  it('never gets a key file next to a PostgreSQL store: MASTER_KEY is required with DATABASE_URL', () => {
    const dir = folder();
    expect(() => loadConfig({ DATA_DIR: dir, DATABASE_URL: 'postgres://127.0.0.1/x' }, { createStore: true })).toThrow(/MASTER_KEY is required with DATABASE_URL/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('a store knows its master key', () => {
  it('refuses every process with another key, before it seals or opens anything', async () => {
    const dir = folder();
    const first = key();
    const service = await openService(loadConfig({ DATA_DIR: dir, MASTER_KEY: first }, { createStore: true }));
    await service.close();
    await expect(openService(loadConfig({ DATA_DIR: dir, MASTER_KEY: key() }))).rejects.toMatchObject({
      name: 'MasterKeyMismatch', message: expect.stringMatching(/belongs to another MASTER_KEY \(its key check is [0-9a-f]{8}…, this key's is [0-9a-f]{8}…\)/),
    });
    const same = await openService(loadConfig({ DATA_DIR: dir, MASTER_KEY: first }));
    await same.close();
  });

  it('claims a store made before the check only with the key that opens its Stripe keys', async () => {
    const dir = folder();
    const first = key();
    const service = await openService(loadConfig({ DATA_DIR: dir, MASTER_KEY: first }, { createStore: true }));
    const app = await service.apps.create({ name: 'Older store' });
    await service.stripeKeys.setKey({ appId: app.id, mode: 'test', secretKey: 'sk_test_51OlderStoreKey0000' });
    await service.close();
    const database = new Database(path.join(dir, 'service.sqlite'));
    database.exec("delete from store_settings where name = 'master_key_check'"); // as before the check existed
    database.close();
    await expect(openService(loadConfig({ DATA_DIR: dir, MASTER_KEY: key() }))).rejects.toThrow(/opens none of the 1 Stripe keys it holds/);
    const same = await openService(loadConfig({ DATA_DIR: dir, MASTER_KEY: first }));
    expect(await same.stripeKeys.status(app.id)).toEqual([expect.objectContaining({ mode: 'test', readable: true })]);
    await same.close();
  });
});

describe('a store of the master-key trap (keys sealed under two master keys, before the check)', () => {
  it('belongs to the key that opens any of its Stripe keys; the others show as unreadable; a key that opens none is refused', async () => {
    const dir = folder();
    const server = key();
    const service = await openService(loadConfig({ DATA_DIR: dir, MASTER_KEY: server }, { createStore: true }));
    const first = await service.apps.create({ name: 'Sealed by the server' });
    const second = await service.apps.create({ name: 'Sealed by a CLI with its own key file' });
    await service.stripeKeys.setKey({ appId: first.id, mode: 'test', secretKey: 'sk_test_51ServerSealed00000' });
    await service.stripeKeys.setKey({ appId: second.id, mode: 'test', secretKey: 'sk_test_51CliSealed0000000' });
    await service.close();
    const database = new Database(path.join(dir, 'service.sqlite'));
    const other = new SecretBox(randomBytes(32)).seal('sk_test_51CliSealed0000000', `stripe-secret-key|${second.id}|test`);
    database.prepare('update stripe_accounts set sealed_key = ? where app_id = ?').run(other, second.id);
    database.exec("delete from store_settings where name = 'master_key_check'");
    database.close();
    await expect(openService(loadConfig({ DATA_DIR: dir, MASTER_KEY: key() }))).rejects.toThrow(/opens none of the 2 Stripe keys it holds/);
    const claimed = await openService(loadConfig({ DATA_DIR: dir, MASTER_KEY: server }));
    expect((await claimed.stripeKeys.status(first.id)).map((status) => status.readable)).toEqual([true]);
    expect((await claimed.stripeKeys.status(second.id)).map((status) => status.readable)).toEqual([false]);
    await claimed.close();
  });

  it('stops the server process with exit code 6 under another key, saying which store', async () => {
    const dir = folder();
    const first = await startNode('main.js', [], { DATA_DIR: dir, MASTER_KEY: key(), NODE_ENV: 'production', PORT: String(await freePort()) }, /"msg":"listening"/);
    await first.stop();
    const refused = spawnSync(process.execPath, [MAIN], { env: { PATH: process.env['PATH'] ?? '', DATA_DIR: dir, MASTER_KEY: key(), NODE_ENV: 'production', PORT: '0' }, encoding: 'utf8', timeout: 15_000 });
    expect(refused.status).toBe(6);
    expect(refused.stderr).toContain('Configuration error: The store (SQLite');
    expect(refused.stderr).toContain('belongs to another MASTER_KEY');
  });
});

describe('a Stripe key this server cannot open', () => {
  it('answers API callers 502 STRIPE_ACCOUNT_MISCONFIGURED (not 500), and stripe status says it is unreadable', async () => {
    const live = await startLiveService();
    try {
      const database = new Database(path.join(live.dataDir, 'service.sqlite'));
      // Sealed by a process with another key (before the store knew its key), as that process would have.
      const otherBox = new SecretBox(randomBytes(32));
      for (const mode of ['live', 'test']) {
        const sealed = otherBox.seal('sk_test_51SealedElsewhere000', `stripe-secret-key|${live.appId}|${mode}`);
        database.prepare('update stripe_accounts set sealed_key = ? where app_id = ? and mode = ?').run(sealed, live.appId, mode);
      }
      // An attempt without a key left unknown a day ago: reconciliation must ask this account's Stripe about it.
      const unknownAttempt = randomUUID();
      database
        .prepare(`insert into charge_ledger (id, operation_id, app_id, api_key_id, tenant_id, user_id, mode, livemode, currency, subtotal, tax, total, outcome, started_at)
          values (?, ?, ?, ?, ?, ?, 'payment', 0, 'usd', 100, 0, 100, 'unknown', ?)`)
        .run(unknownAttempt, randomUUID(), live.appId, randomUUID(), randomUUID(), randomUUID(), Date.now() - 86_400_000);
      database.close();
      const charged = await live.charge('pays');
      expect(charged.status).toBe(502);
      expect(charged.json).toMatchObject({ success: false, code: 'STRIPE_ACCOUNT_MISCONFIGURED', error: expect.stringContaining('cannot be opened with this server') });
      expect((await live.service.stripeKeys.status(live.appId)).map((status) => status.readable)).toEqual([false]);
      // Reconciliation goes on for everyone else, and says which account it could not read.
      const report = await live.service.reconcile.run();
      expect(report.events.caughtUp).toEqual([expect.objectContaining({ appId: live.appId, mode: 'test', error: expect.stringContaining('cannot be opened') })]);
      expect(report.unsettled).toEqual([expect.objectContaining({ id: unknownAttempt, error: expect.stringContaining('cannot be opened') })]);
    } finally {
      await live.close();
    }
  });
});
