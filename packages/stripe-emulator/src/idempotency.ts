import { EmulatorError } from './emulator-errors';

interface Entry {
  endpoint: string;
  fingerprint: string;
  running: boolean;
  status: number;
  body: string;
  storedAt: number;
}

export type IdempotencyDecision =
  | { kind: 'execute' }
  | { kind: 'replay'; status: number; body: string }
  | { kind: 'refuse'; error: EmulatorError };

const RETENTION_MS = 24 * 60 * 60 * 1000;

/** Canonical text of decoded parameters: the same request always gives the same text. */
export function fingerprintOf(values: unknown): string {
  return JSON.stringify(values, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
}

/**
 * Stripe's idempotency, per account and mode: a finished request is replayed to the same key with the same
 * parameters; other parameters or another endpoint under the key → 400 idempotency_error; a key whose first
 * request is still running → 409.
 */
export class IdempotencyStore {
  private readonly entries = new Map<string, Entry>();

  begin(scope: string, key: string, endpoint: string, fingerprint: string, now = Date.now()): IdempotencyDecision {
    const id = `${scope}|${key}`;
    const entry = this.entries.get(id);
    if (entry && now - entry.storedAt > RETENTION_MS) this.entries.delete(id);
    else if (entry) return decide(entry, key, endpoint, fingerprint);
    this.entries.set(id, { endpoint, fingerprint, running: true, status: 0, body: '', storedAt: now });
    return { kind: 'execute' };
  }

  finish(scope: string, key: string, status: number, body: string): void {
    const entry = this.entries.get(`${scope}|${key}`);
    if (entry) Object.assign(entry, { running: false, status, body });
  }

  /** The request never started executing (rejected before the work, or its connection was reset): keep nothing. */
  abandon(scope: string, key: string): void {
    this.entries.delete(`${scope}|${key}`);
  }

  clear(): void {
    this.entries.clear();
  }

  /** The finished answers, for saving: a request still running has answered nobody yet. */
  toJSON(): StoredAnswer[] {
    return [...this.entries.entries()].filter(([, entry]) => !entry.running).map(([id, entry]) => ({ id, ...entry }));
  }

  load(answers: readonly StoredAnswer[]): void {
    this.entries.clear();
    for (const { id, ...entry } of answers) this.entries.set(id, { ...entry, running: false });
  }
}

export type StoredAnswer = Entry & { id: string };

function decide(entry: Entry, key: string, endpoint: string, fingerprint: string): IdempotencyDecision {
  if (entry.endpoint !== endpoint) {
    return refuse(400, 'idempotency_error',
      `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${entry.endpoint}' vs ` +
        `'${endpoint}'). Try using a key other than '${key}' if you meant to execute a different request.`);
  }
  if (entry.fingerprint !== fingerprint) {
    return refuse(400, 'idempotency_error',
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key ` +
        `other than '${key}' if you meant to execute a different request.`);
  }
  if (entry.running) {
    return refuse(409, 'idempotency_error',
      'There is currently another in-progress request using this Stripe-Idempotency-Key. Please try again later.',
      'idempotency_key_in_use');
  }
  return { kind: 'replay', status: entry.status, body: entry.body };
}

function refuse(status: number, type: 'idempotency_error', message: string, code?: string): IdempotencyDecision {
  return { kind: 'refuse', error: new EmulatorError(status, { type, message, ...(code ? { code } : {}) }, false) };
}
