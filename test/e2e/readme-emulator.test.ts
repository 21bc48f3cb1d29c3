import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { readmeExample } from '../support/readme-examples';
import { eventually } from '../support/eventually';

// The README's standalone emulator, as a reader runs it: the npm script in one terminal, curl in another.

const ROOT = path.resolve(__dirname, '../..');
let emulator: ChildProcess | undefined;

function answering(url: string): Promise<void> {
  return eventually(() => fetch(url).then(() => true, () => false), { withinMs: 60_000, everyMs: 200 });
}

afterAll(() => {
  // npm, the shell and the emulator share one process group: all of it goes.
  if (emulator?.pid) process.kill(-emulator.pid, 'SIGKILL');
});

describe("the README's standalone emulator", () => {
  it('starts on its own port, and answers the curl examples with Basic and Bearer auth', async () => {
    emulator = spawn('bash', ['-c', readmeExample('emulator')], { cwd: ROOT, detached: true, stdio: 'ignore' });
    await answering('http://127.0.0.1:12112/');
    const output = execFileSync('bash', ['-c', readmeExample('emulator-curl')], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    const [customers, prices] = output.trim().split('\n').map((line) => JSON.parse(line) as { object: string; data: { object: string }[]; url: string });
    expect(customers).toMatchObject({ object: 'list', url: '/v1/customers', has_more: expect.any(Boolean) });
    expect(customers!.data.length).toBeGreaterThan(0);
    expect(customers!.data.every((customer) => customer.object === 'customer')).toBe(true);
    expect(prices).toMatchObject({ object: 'list', url: '/v1/prices' });
    expect(prices!.data.length).toBeGreaterThan(0);
  }, 90_000);
});
