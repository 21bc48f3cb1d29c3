/**
 * Local mode (`npm start`) runs its own emulator on 12111 (its STRIPE_EMULATOR_PORT), so the standalone emulator
 * defaults to the next port and has a variable of its own: both can run side by side without either being moved.
 */
export const STANDALONE_DEFAULT_PORT = 12112;
export const STANDALONE_PORT_VARIABLE = 'STRIPE_EMULATOR_STANDALONE_PORT';

/** `--port`, else STRIPE_EMULATOR_STANDALONE_PORT, else 12112; 0 takes any free port. */
export function standalonePort(args: readonly string[], env: Readonly<Record<string, string | undefined>>): number {
  const flag = args.indexOf('--port');
  const [raw, source] = flag >= 0 ? [args[flag + 1], '--port'] : [env[STANDALONE_PORT_VARIABLE] || undefined, STANDALONE_PORT_VARIABLE];
  if (raw === undefined && flag < 0) return STANDALONE_DEFAULT_PORT;
  const port = Number(raw);
  if (raw === undefined || !/^\d+$/.test(raw) || port > 65_535) {
    throw new Error(`${source} must be a port number from 0 to 65535, not ${raw ?? 'nothing'}`);
  }
  return port;
}
