import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** Jest global setup: compiles `dist/` once per run, for the tests that start the built CLI or server as processes. */
export default function buildOnce(): void {
  const root = path.resolve(__dirname, '../..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-b', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}
