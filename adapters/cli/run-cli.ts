import { parseArgs } from 'node:util';
import type { Command, CliIo, CliUseCases, Values } from './command';
import { appCommands } from './commands/app-commands';
import { keyCommands } from './commands/key-commands';
import { eventsCommands } from './commands/events-commands';
import { webhookCommands } from './commands/webhook-commands';
import { ledgerCommands } from './commands/ledger-commands';
import { operationsCommands } from './commands/operations-commands';
import { stripeCommands } from './commands/stripe-commands';
import { tenantCommands } from './commands/tenant-commands';
import { EXIT, UsageError, exitCodeOf } from './exit-codes';

export const COMMANDS: Command[] = [
  ...appCommands, ...keyCommands, ...stripeCommands, ...tenantCommands, ...ledgerCommands, ...operationsCommands, ...eventsCommands, ...webhookCommands,
];
const PROGRAM = 'tenant-stripe-invoices';
const GLOBAL = [
  `  --${'json'.padEnd(30)} print the result as JSON (errors too, on stderr)`,
  `  --${'help'.padEnd(30)} show help`,
].join('\n');

export function overview(): string {
  const lines = COMMANDS.map((entry) => `  ${`${entry.group} ${entry.name}`.padEnd(22)} ${entry.summary}`);
  return `Usage: ${PROGRAM} <group> <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nOptions for every command:\n${GLOBAL}\n\n` +
    `Configuration comes from the environment: DATA_DIR, DATABASE_URL, MASTER_KEY (see the README).`;
}

function help(entry: Command): string {
  const options = Object.entries(entry.options).map(([name, spec]) => {
    const value = spec.type === 'string' ? ` <${spec.value ?? 'value'}>` : '';
    const notes = [spec.required ? 'required' : '', spec.multiple ? 'repeatable' : ''].filter(Boolean).join(', ');
    return `  --${`${name}${value}`.padEnd(30)} ${spec.description}${notes ? ` (${notes})` : ''}`;
  });
  return `Usage: ${PROGRAM} ${entry.group} ${entry.name} [options]\n\n${entry.summary}.\n\nOptions:\n${[...options, GLOBAL].join('\n')}`;
}

/** Finds the command a user means, from the words before the first option. */
export function resolve(argv: string[]): { entry?: Command; rest: string[]; wantsHelp: boolean } {
  const [group, name, ...rest] = argv;
  const wantsHelp = argv.includes('--help') || argv.includes('-h');
  const entry = COMMANDS.find((candidate) => candidate.group === group && candidate.name === name);
  if (entry) return { entry, rest, wantsHelp };
  if (argv.length === 0 || wantsHelp) return { rest: [], wantsHelp: true };
  const known = COMMANDS.some((candidate) => candidate.group === group);
  throw new UsageError(known ? `Unknown command "${group} ${name ?? ''}".` : `Unknown command group "${group}".`);
}

function parse(entry: Command, args: string[]): { values: Values; json: boolean } {
  const options = Object.fromEntries(
    Object.entries(entry.options).map(([name, spec]) => [name, { type: spec.type, ...(spec.multiple ? { multiple: true } : {}) }]),
  );
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const values = parsed.values as Values;
  const missing = Object.entries(entry.options).filter(([name, spec]) => spec.required && values[name] === undefined);
  if (missing.length > 0) throw new UsageError(`Missing ${missing.map(([name]) => `--${name}`).join(', ')}.`);
  return { values, json: values['json'] === true };
}

/** Runs one command line and answers its exit code. `open` builds the use cases only when a command needs them. */
export async function runCli(argv: string[], io: CliIo, open: () => Promise<{ useCases: CliUseCases; close(): Promise<void> }>): Promise<number> {
  const json = argv.includes('--json');
  try {
    const { entry, rest, wantsHelp } = resolve(argv);
    if (!entry || wantsHelp) {
      io.out(entry ? help(entry) : overview());
      return EXIT.ok;
    }
    const { values } = parse(entry, rest);
    const service = await open();
    try {
      const result = await entry.run(values, service.useCases, io);
      io.out(json ? JSON.stringify(result, null, 2) : entry.text(result as never));
    } finally {
      await service.close();
    }
    return EXIT.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    const errorCode = (error as { code?: unknown }).code;
    if (json) io.err(JSON.stringify({ error: { code: typeof errorCode === 'string' ? errorCode : (error as Error).name, message } }));
    else io.err(code === EXIT.usage ? `${message}\n\n${overviewOrHelp(argv)}` : `Error: ${message}`);
    return code;
  }
}

function overviewOrHelp(argv: string[]): string {
  const entry = COMMANDS.find((candidate) => candidate.group === argv[0] && candidate.name === argv[1]);
  return entry ? help(entry) : overview();
}
