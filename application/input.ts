import { z } from 'zod';
import { ValidationFailed } from '../domain/errors';

/** A string field that the domain's own parser decides: its refusal becomes this field's issue, in zod's shape. */
export function parsedBy<T>(parse: (raw: string) => T, description: string) {
  return z
    .string()
    .transform((raw, context) => {
      try {
        return parse(raw);
      } catch (error) {
        if (!(error instanceof ValidationFailed)) throw error;
        context.addIssue({ code: 'custom', message: error.message });
        return z.NEVER;
      }
    })
    .meta({ description });
}

/** A boolean that may arrive as text (a query string's `true` / `false`). */
export const flag = z.preprocess((raw) => (raw === 'true' ? true : raw === 'false' ? false : raw), z.boolean());

/** A whole number that may arrive as text (a query string's `25`). */
export const count = z.preprocess((raw) => (typeof raw === 'string' && /^\d{1,6}$/.test(raw) ? Number(raw) : raw), z.number().int());

/**
 * Parses input with a zod schema; a violation is ValidationFailed naming each bad field (`whole` for the input as a
 * whole): "The <what> is not valid: price: …; quantity: …".
 */
export function validated<T extends z.ZodType>(schema: T, raw: unknown, what: string, whole: string): z.output<T> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.map(String).join('.') || whole, message: issue.message }));
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new ValidationFailed('invalid_request', `The ${what} is not valid: ${summary}.`, issues);
}
