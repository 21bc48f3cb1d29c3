export type Dialect = 'sqlite' | 'postgres';

/**
 * The one place that knows how each dialect stores what SQL does not agree on: PostgreSQL has timestamptz,
 * booleans and bigints (which `pg` returns as strings); SQLite keeps times as epoch milliseconds and booleans as 0/1.
 */
export class SqlValues {
  constructor(readonly dialect: Dialect) {}

  /** Column types for migrations. */
  get types() {
    return this.dialect === 'postgres'
      ? ({ time: 'timestamptz', boolean: 'boolean', bigint: 'bigint' } as const)
      : ({ time: 'integer', boolean: 'integer', bigint: 'integer' } as const);
  }

  time(date: Date): Date | number {
    return this.dialect === 'postgres' ? date : date.getTime();
  }

  timeOrNull(date: Date | null | undefined): Date | number | null {
    return date ? this.time(date) : null;
  }

  readTime(value: unknown): Date {
    if (value instanceof Date) return value;
    return new Date(Number(value));
  }

  readTimeOrNull(value: unknown): Date | null {
    return value === null || value === undefined ? null : this.readTime(value);
  }

  boolean(value: boolean): boolean | number {
    return this.dialect === 'postgres' ? value : value ? 1 : 0;
  }

  readBoolean(value: unknown): boolean {
    return value === true || value === 1 || value === '1' || value === 't';
  }

  readInteger(value: unknown): number {
    const number = Number(value);
    if (!Number.isSafeInteger(number)) throw new Error(`Not a safe integer in the database: ${String(value)}`);
    return number;
  }
}
