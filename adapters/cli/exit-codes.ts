/** The CLI's exit codes, one table: scripts can tell a typo from a missing app from a broken setup. */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  invalidInput: 3,
  notFound: 4,
  conflict: 5,
  configuration: 6,
} as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

const BY_ERROR_CODE: Record<string, number> = {
  VALIDATION_FAILED: EXIT.invalidInput,
  NOT_FOUND: EXIT.notFound,
  ALREADY_EXISTS: EXIT.conflict,
  NOT_ALLOWED: EXIT.conflict,
};

const BY_ERROR_NAME: Record<string, number> = {
  UsageError: EXIT.usage,
  ConfigurationError: EXIT.configuration,
  SecretUnreadable: EXIT.configuration,
  DatabaseUnusable: EXIT.configuration,
  MasterKeyMismatch: EXIT.configuration,
  StripeKeyUnreadable: EXIT.configuration,
};

export function exitCodeOf(error: unknown): number {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  return BY_ERROR_CODE[String(code)] ?? BY_ERROR_NAME[String(name)] ?? EXIT.unexpected;
}
