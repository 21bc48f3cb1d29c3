import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { EmulatorCore } from './emulator-core';

/**
 * Keeps the emulator's state in a file: read at start, written after every change and before the answer leaves,
 * so that an emulator killed at any moment has forgotten nothing it answered for. The write replaces the file
 * atomically (write aside, then rename), so a kill during the write leaves the previous state whole.
 */
export function persistTo(core: EmulatorCore, file: string): { save(): void } {
  if (existsSync(file)) core.restore(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
  const save = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(core.snapshot()), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  };
  core.onChange = save;
  return { save };
}
