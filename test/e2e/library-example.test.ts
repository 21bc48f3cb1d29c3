import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, startNode, type RunningProcess } from './processes';

// The README's library example, as a reader runs it: `npm start` in one terminal, the example in another.

const ROOT = path.resolve(__dirname, '../..');
const EXAMPLE = path.join(ROOT, 'examples/charge-from-a-program.mjs');
const BANNER_DONE = /The same over GraphQL:[\s\S]*-d '\{"query"[^\n]*'\n/;
const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-example-'));
let server: RunningProcess;
let env: Record<string, string>;

beforeAll(async () => {
  env = { DATA_DIR: dataDir, PORT: String(await freePort()), STRIPE_EMULATOR_PORT: String(await freePort()) };
  server = await startNode('main.js', [], env, BANNER_DONE);
}, 60_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const run = (extra: Record<string, string>) =>
  promisify(execFile)(process.execPath, [EXAMPLE], { cwd: ROOT, env: { PATH: process.env['PATH'] ?? '', ...extra }, timeout: 30_000 }).then(
    (done) => ({ code: 0, ...done }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );

describe('examples/charge-from-a-program.mjs', () => {
  it('is the README\'s library example, word for word', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`js\n${readFileSync(EXAMPLE, 'utf8')}\`\`\``);
  });

  it('charges the local paying tenant in-process, through the running server\'s emulator', async () => {
    const { code, stdout } = await run({ DATA_DIR: dataDir });
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { status: string; invoice: string; paymentIntent: string };
    expect(printed).toEqual({ status: 'succeeded', invoice: expect.stringMatching(/^in_/), paymentIntent: expect.stringMatching(/^pi_/) });
    // The charge is in the server's own store: the read API shows it.
    const local = JSON.parse(readFileSync(path.join(dataDir, 'local-credentials.json'), 'utf8')) as Record<string, any>;
    const read = await fetch(`${local['baseUrl']}/api/v1/tenants/${local['tenants'].pays.tenantId}/stripe-invoices/${printed.invoice}`, {
      headers: { 'x-api-key': local['readKey'], 'x-api-key-type': 'read', 'x-client-id': local['clientId'] },
    });
    expect(((await read.json()) as { data: { invoice: { paymentStatus: string } } }).data.invoice.paymentStatus).toBe('succeeded');
  });

  it('refuses, saying what to do, where DATA_DIR holds no store, and makes nothing there', async () => {
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'tsinv-example-empty-'));
    try {
      writeFileSync(path.join(elsewhere, 'local-credentials.json'), readFileSync(path.join(dataDir, 'local-credentials.json')));
      const { code, stderr } = await run({ DATA_DIR: elsewhere });
      expect(code).not.toBe(0);
      expect(stderr).toContain('holds no store');
      expect(stderr).toContain('Point DATA_DIR at the folder the server uses');
      expect(readdirSync(elsewhere)).toEqual(['local-credentials.json']);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
