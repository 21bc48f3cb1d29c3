import type { UseCases } from '../../application/use-cases';
import { ValidationFailed } from '../../domain/errors';

/** The use cases the CLI drives (the operator's); it never sees the container or a store. */
export type CliUseCases = Pick<
  UseCases,
  'apps' | 'apiKeys' | 'stripeKeys' | 'tenants' | 'ledger' | 'reconcile' | 'webhooks' | 'processStripeEvents' | 'appEndpoints' | 'deliveries' | 'deliverAppEvents' | 'purgeExpired'
>;

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Standard input as text: secrets can be piped in instead of typed on the command line. */
  readStdin(): Promise<string>;
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  description: string;
  /** What to write after the option in help (`--app <id>`). */
  value?: string;
  required?: boolean;
  multiple?: boolean;
}

export type Values = Record<string, string | string[] | boolean | undefined>;

export interface Command {
  group: string;
  name: string;
  summary: string;
  options: Record<string, OptionSpec>;
  run(values: Values, useCases: CliUseCases, io: CliIo): Promise<unknown>;
  /** The human-readable form of `run`'s result; `--json` prints the result itself. */
  text(result: never): string;
}

/** A command whose `text` is typed by its `run`. */
export function command<T>(spec: Omit<Command, 'run' | 'text'> & {
  run(values: Values, useCases: CliUseCases, io: CliIo): Promise<T>;
  text(result: T): string;
}): Command {
  return spec as unknown as Command;
}

export function str(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Rows as aligned columns, for terminals. */
export function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '(none)';
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export const iso = (date: Date | null | undefined) => (date ? date.toISOString() : '-');

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `15m`, `24h`, `7d` → seconds. */
export function seconds(text: string, option = 'overlap'): number {
  const match = /^(\d+)([smhd])$/.exec(text.trim());
  if (!match) throw new ValidationFailed('invalid_request', `${option}: "${text}" is not a duration like 30m, 24h or 7d`);
  return Number(match[1]) * UNITS[match[2]!]!;
}
