import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startNode } from './processes';

const HOOK = path.resolve(__dirname, '../support/record-loaded-modules.js');
const EMULATOR_PACKAGE = `${path.sep}packages${path.sep}stripe-emulator${path.sep}`;

/** Starts the built server with `env`, lets it serve, stops it, and answers every module file it loaded. */
async function modulesLoadedBy(env: Record<string, string>): Promise<string[]> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-modules-'));
  const file = path.join(dataDir, 'modules.json');
  try {
    const port = await freePort();
    const server = await startNode('main.js', [], {
      DATA_DIR: dataDir,
      PORT: String(port),
      STRIPE_EMULATOR_PORT: '0',
      LOADED_MODULES_FILE: file,
      NODE_OPTIONS: `--require ${HOOK}`,
      ...env,
    }, /"msg":"listening"/);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
    return JSON.parse(readFileSync(file, 'utf8')) as string[];
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

describe('the Stripe emulator package is loaded only by local mode', () => {
  it('is never loaded in production mode', async () => {
    const modules = await modulesLoadedBy({
      NODE_ENV: 'production',
      HOST: '127.0.0.1',
      MASTER_KEY: randomBytes(32).toString('base64'),
      STRIPE_API_BASE: 'http://127.0.0.1:9',
    });
    expect(modules.length).toBeGreaterThan(100);
    expect(modules.some((module) => module.includes(`${path.sep}adapters${path.sep}composition${path.sep}main.js`))).toBe(true);
    expect(modules.filter((module) => module.includes(EMULATOR_PACKAGE))).toEqual([]);
  }, 30_000);

  it('is loaded in local mode (so the check above can see it when it is there)', async () => {
    const modules = await modulesLoadedBy({});
    expect(modules.filter((module) => module.includes(EMULATOR_PACKAGE)).length).toBeGreaterThan(10);
  }, 30_000);
});
