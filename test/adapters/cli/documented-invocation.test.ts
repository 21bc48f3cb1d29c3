import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// The CLI run exactly as the README invokes it, through npm: with `--json` its stdout must be the JSON and nothing
// else (npm's own `> tenant-stripe-invoices@… cli` header included), so that `| jq` and JSON.parse work.

const root = path.resolve(__dirname, '../../..');
const README = readFileSync(path.join(root, 'README.md'), 'utf8');
const dataDir = mkdtempSync(path.join(tmpdir(), 'tsinv-cli-npm-'));
const masterKey = randomBytes(32).toString('hex');

/** Every `npm run … cli --` of the README, as written. */
const invocations = [...README.matchAll(/npm run(?: +-[-\w=]+)* +cli --/g)].map((match) => match[0]);

function run(command: string): string {
  return execFileSync('bash', ['-c', command], {
    cwd: root,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: process.env['HOME'] ?? tmpdir(),
      DATA_DIR: dataDir,
      MASTER_KEY: masterKey,
      // npm's default log level, whatever this machine's npm settings or the npm running jest say: the README's
      // command has to be quiet by itself.
      npm_config_loglevel: 'notice',
    },
    encoding: 'utf8',
    // A no-change build takes well under a second; the margin is for a tree being edited on a busy machine.
    timeout: 90_000,
  });
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("the CLI as the README invokes it (npm run … cli -- … --json)", () => {
  it('is invoked one way throughout the README', () => {
    expect(invocations.length).toBeGreaterThan(20);
    expect(new Set(invocations)).toEqual(new Set([invocations[0]]));
  });

  it("prints only the JSON: the README's --json command, then apps list, parse as a whole", () => {
    const documented = README.split('\n')
      .map((line) => line.trim())
      .filter((line) => line.startsWith(`${invocations[0]} `) && / --json(\s|$)/.test(line))
      .map((line) => line.replace(/\s+#.*$/, ''));
    expect(documented).toContain(`${invocations[0]} apps create --name "Acme" --json`);

    const created = JSON.parse(run(`${invocations[0]} apps create --name "Acme" --json`)) as { id: string; name: string };
    expect(created).toMatchObject({ id: expect.any(String), name: 'Acme' });

    const listed = JSON.parse(run(`${invocations[0]} apps list --json`)) as { id: string }[];
    expect(listed.map((app) => app.id)).toEqual([created.id]);
  }, 200_000);
});
