import { invalidRequest } from './emulator-errors';
import type { FormObject, FormValue } from './form-body';

/**
 * The parameters of one request, read the way Stripe reads them: strings coerced to numbers and booleans, and an
 * unknown parameter refused, so that an adapter sending a parameter Stripe does not have fails here too.
 */
export class Params {
  constructor(
    private readonly values: FormObject,
    allowed: readonly string[],
    private readonly prefix = '',
  ) {
    for (const name of Object.keys(values)) {
      if (!allowed.includes(name) && name !== 'expand') {
        throw invalidRequest(`Received unknown parameter: ${this.label(name)}`, { param: this.label(name) });
      }
    }
  }

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') throw invalidRequest(`Invalid string: ${this.label(name)}`, { param: this.label(name) });
    return value;
  }

  requiredString(name: string): string {
    const value = this.string(name);
    if (value === undefined || value === '') {
      throw invalidRequest(`Missing required param: ${this.label(name)}.`, { code: 'parameter_missing', param: this.label(name) });
    }
    return value;
  }

  integer(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!/^-?\d+$/.test(raw)) {
      throw invalidRequest(`Invalid integer: ${raw}`, { code: 'parameter_invalid_integer', param: this.label(name) });
    }
    return Number(raw);
  }

  decimal(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!/^-?\d+(\.\d+)?$/.test(raw)) throw invalidRequest(`Invalid decimal: ${raw}`, { param: this.label(name) });
    return Number(raw);
  }

  boolean(name: string): boolean | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (raw !== 'true' && raw !== 'false') throw invalidRequest(`Invalid boolean: ${raw}`, { param: this.label(name) });
    return raw === 'true';
  }

  oneOf<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!choices.includes(raw as T)) {
      throw invalidRequest(`Invalid ${this.label(name)}: must be one of ${choices.join(', ')}`, { param: this.label(name) });
    }
    return raw as T;
  }

  /** A timestamp filter of a list: exact (`created=…`) or a range (`created[gte]=…&created[lt]=…`). */
  timeRange(name: string): (time: number) => boolean {
    const value = this.values[name];
    if (value === undefined) return () => true;
    if (typeof value === 'string') {
      const exact = this.integer(name);
      return (time) => time === exact;
    }
    const bounds = ['gt', 'gte', 'lt', 'lte'] as const;
    const range = this.nested(name, bounds)!;
    const [gt, gte, lt, lte] = bounds.map((bound) => range.integer(bound));
    return (time) =>
      (gt === undefined || time > gt) && (gte === undefined || time >= gte) && (lt === undefined || time < lt) && (lte === undefined || time <= lte);
  }

  /** A nested object parameter, itself checked against its own allowed names. */
  nested(name: string, allowed: readonly string[]): Params | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) {
      throw invalidRequest(`Invalid object: ${this.label(name)}`, { param: this.label(name) });
    }
    return new Params(value, allowed, this.label(name));
  }

  /** An array of objects (`lines[0][…]`), each checked against `allowed`. */
  list(name: string, allowed: readonly string[]): Params[] {
    return this.array(name).map((item, index) => {
      if (typeof item !== 'object' || Array.isArray(item)) {
        throw invalidRequest(`Invalid array: ${this.label(name)}`, { param: this.label(name) });
      }
      return new Params(item, allowed, `${this.label(name)}[${index}]`);
    });
  }

  strings(name: string): string[] {
    return this.array(name).map((item) => {
      if (typeof item !== 'string') throw invalidRequest(`Invalid array: ${this.label(name)}`, { param: this.label(name) });
      return item;
    });
  }

  metadata(): Record<string, string> {
    const value = this.values['metadata'];
    if (value === undefined || value === '') return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw invalidRequest('Invalid metadata', { param: 'metadata' });
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, String(item)]));
  }

  private array(name: string): FormValue[] {
    const value = this.values[name];
    if (value === undefined || value === '') return [];
    if (!Array.isArray(value)) throw invalidRequest(`Invalid array: ${this.label(name)}`, { param: this.label(name) });
    return value;
  }

  private label(name: string): string {
    return this.prefix ? `${this.prefix}[${name}]` : name;
  }
}

/** The `expand` parameter: `expand[0]=a.b` or `expand[]=a.b`. */
export function expansionsOf(values: FormObject): string[] {
  const value = values['expand'];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => {
    if (typeof item !== 'string') throw invalidRequest('Invalid array: expand', { param: 'expand' });
    return item;
  });
}
