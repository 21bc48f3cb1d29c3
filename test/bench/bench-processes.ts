import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

// The bench's own processes (servers, baselines, the emulator): started, measured from /proc, and stopped.

export const ROOT = path.resolve(__dirname, '../../..');
export const DIST = path.join(ROOT, 'dist');

const processes: ChildProcessWithoutNullStreams[] = [];
const scratch: string[] = [];
const cleanups: Array<() => Promise<void>> = [];

/** Starts `script` (relative to dist/) and waits until `url` answers below 500. */
export async function start(script: string, args: string[], env: Record<string, string>, url: string, nodeOptions: string[] = []) {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeOptions, path.resolve(DIST, script), ...args], { env: { PATH: process.env['PATH'] ?? '', ...env } });
  let output = '';
  child.stdout.on('data', (chunk) => (output += String(chunk)));
  child.stderr.on('data', (chunk) => (output += String(chunk)));
  processes.push(child);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited:\n${output}`);
    const up = await fetch(url).then((response) => response.status < 500, () => false);
    if (up) return { child, startMs: performance.now() - started };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A folder removed when the run ends, however it ends. */
export function scratchDir(dir: string): string {
  scratch.push(dir);
  return dir;
}

/** Work done once the servers have stopped (dropping a PostgreSQL database they used). */
export function atStop(cleanup: () => Promise<void>): void {
  cleanups.push(cleanup);
}

/** CPU time (user + system) a process has used so far, in ms: fields 14 and 15 of /proc/<pid>/stat, in 10 ms clock ticks. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

/** Every server stops before the run ends (a profiled one writes its profile on the way out), then the cleanups run. */
export async function stopAll(): Promise<void> {
  await Promise.all(
    processes.map(async (child) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      let timer: NodeJS.Timeout | undefined;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
      clearTimeout(timer);
    }),
  );
  for (const cleanup of cleanups.splice(0)) await cleanup().catch((error: unknown) => console.error('cleanup failed:', error));
}

// The servers and their data must not outlive the run, however it ends: an interrupted run still stops its servers
// and drops its PostgreSQL databases (each can hold a million charges) before it exits.
process.on('exit', () => {
  for (const child of processes) child.kill('SIGTERM');
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping the servers and dropping the run's databases …`);
    void stopAll().finally(() => process.exit(code));
  });
}
