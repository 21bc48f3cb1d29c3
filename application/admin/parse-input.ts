import type { z } from 'zod';
import { ValidationFailed } from '../../domain/errors';

/** Parses operator input with a zod schema; a violation is a ValidationFailed naming each bad field. */
export function parseInput<T extends z.ZodType>(schema: T, raw: unknown): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || '(input)', message: issue.message }));
  throw new ValidationFailed('invalid_request', issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), issues);
}
