import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Stripe from 'stripe';
import type { ServiceConfig } from './config';

// The one place the service reaches the emulator package, and only when local mode starts: production never loads it.
type EmulatorPackage = typeof import('@tenant-stripe-invoices/stripe-emulator');
export type SeededAccount = Awaited<ReturnType<EmulatorPackage['seedTestAccount']>>;

/** The in-process Stripe emulator of local mode, as local mode uses it. */
export interface LocalEmulator {
  url: string;
  /** Creates customers, prices and tax rates in one account and mode through the SDK, as on a real test account. */
  seedAccount(stripe: Stripe, apiKey: string, label: string): Promise<SeededAccount>;
  close(): Promise<void>;
}

async function loadEmulatorPackage(): Promise<EmulatorPackage> {
  try {
    return await import('@tenant-stripe-invoices/stripe-emulator');
  } catch (error) {
    throw new Error(`Local mode needs the Stripe emulator package (npm ci installs it): ${(error as Error).message}`);
  }
}

export function writeAtomically(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/**
 * Starts the emulator on loopback. Its objects and idempotent answers live in `<DATA_DIR>/stripe-emulator.json`,
 * written before each answer leaves, so a restart (even after a kill) finds everything it answered for.
 */
export async function startLocalEmulator(config: ServiceConfig): Promise<LocalEmulator> {
  const { startStripeEmulator, seedTestAccount } = await loadEmulatorPackage();
  const stateFile = path.join(config.dataDir, 'stripe-emulator.json');
  const emulator = await startStripeEmulator({ port: config.emulatorPort, stateFile }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE') return startStripeEmulator({ port: 0, stateFile });
    throw error;
  });
  return { url: emulator.url, seedAccount: seedTestAccount, close: () => emulator.close() };
}
