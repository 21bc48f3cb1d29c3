import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import Database from 'libsql';
import { migrations } from './migrations';
import type { Schema } from './sql-schema';
import { SqlValues } from './sql-values';

export interface DatabaseConfig {
  /** `postgres://…` for PostgreSQL; absent for the embedded SQLite file in `dataDir`. */
  url?: string | undefined;
  dataDir: string;
  /** PostgreSQL schema to use (created if missing); tests give each run its own. */
  schema?: string | undefined;
  /** PostgreSQL pool size. */
  poolSize?: number | undefined;
  /** Told the SQL of every statement run (tests count a charge's statements). */
  observeQuery?: ((sql: string) => void) | undefined;
}

export interface SqlDatabase {
  db: Kysely<Schema>;
  values: SqlValues;
  /** Where the data lives, for logs: the SQLite file, or the PostgreSQL host and database (no password). */
  description: string;
  /** PostgreSQL's connection pool, for what shares it beside Kysely (the Stripe pacing's counts). */
  pgPool?: unknown;
  close(): Promise<void>;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Opens the store and applies every pending migration, on either dialect. */
export async function openDatabase(config: DatabaseConfig): Promise<SqlDatabase> {
  const opened = config.url ? await openPostgres(config.url, config) : openSqlite(config.dataDir, config);
  const migrator = new Migrator({
    db: opened.db as Kysely<unknown>,
    provider: migrations(opened.values),
    ...(config.schema && config.url ? { migrationTableSchema: config.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await opened.close();
    const unusable = config.url ? unusableDatabase(error, config.url) : undefined;
    if (unusable) throw unusable;
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return opened;
}

/** More distinct statements than the store has: only a multi-row insert (a tenant's members) varies its SQL. */
const STATEMENT_CACHE_LIMIT = 256;

/**
 * Kysely prepares every query anew; the charge path runs the same dozen statements for every request, so prepared
 * statements are kept by their SQL text. Safe because Kysely's SQLite driver runs one query at a time.
 */
function withStatementCache(database: Database.Database): Database.Database {
  const statements = new Map<string, Database.Statement>();
  const prepare = database.prepare.bind(database);
  return Object.assign(Object.create(database) as Database.Database, {
    prepare(source: string) {
      let statement = statements.get(source);
      if (!statement) {
        statement = prepare(source);
        if (statements.size < STATEMENT_CACHE_LIMIT) statements.set(source, statement);
      }
      return statement;
    },
    close: () => database.close(),
  });
}

/**
 * The database holds sealed Stripe keys and stored answers with client secrets: its folder is the owner's only, and
 * so are its files. SQLite gives the WAL and shared-memory files the database file's permissions.
 */
function ownerOnly(dataDir: string, file: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const existing of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(existing)) chmodSync(existing, 0o600);
}

/** Where the embedded store keeps its database in a data folder. */
export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'service.sqlite');
}

function queryLog(config: DatabaseConfig) {
  const observe = config.observeQuery;
  return observe ? { log: (event: LogEvent) => observe(event.query.sql) } : {};
}

function openSqlite(dataDir: string, config: DatabaseConfig): SqlDatabase {
  const file = sqliteFile(dataDir);
  ownerOnly(dataDir, file);
  const database = new Database(file);
  // WAL lets the CLI and the server share the file; the busy timeout makes a writer wait instead of failing.
  database.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: withStatementCache(database) as never }), ...queryLog(config) });
  return { db, values: new SqlValues('sqlite'), description: `SQLite ${file}`, close: () => db.destroy() };
}

async function openPostgres(url: string, config: DatabaseConfig): Promise<SqlDatabase> {
  // Loaded only when PostgreSQL is used: the embedded default never pays for it.
  const { default: pg } = await import('pg');
  const { schema } = config;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new Error(`Not a usable PostgreSQL schema name: ${schema}`);
  if (schema) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`create schema if not exists "${schema}"`);
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: config.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), ...queryLog(config) });
  const where = new URL(url);
  return {
    db,
    values: new SqlValues('postgres'),
    pgPool: pool,
    description: `PostgreSQL ${where.hostname}:${where.port || 5432}${where.pathname}${schema ? ` (schema ${schema})` : ''}`,
    close: () => db.destroy(),
  };
}

/** A DATABASE_URL that cannot be used, as the operator must fix it (not a bug of ours, not worth a retry). */
export class DatabaseUnusable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnusable';
  }
}

const UNUSABLE: Record<string, (where: string) => string> = {
  '3D000': (where) => `The PostgreSQL database in DATABASE_URL does not exist (${where}); create it (createdb) or fix the URL.`,
  '28P01': (where) => `PostgreSQL refused the password in DATABASE_URL (${where}).`,
  '28000': (where) => `PostgreSQL refused the user in DATABASE_URL (${where}).`,
  ECONNREFUSED: (where) => `Nothing answers at the PostgreSQL address in DATABASE_URL (${where}); is the server running?`,
  ENOTFOUND: (where) => `The host in DATABASE_URL cannot be resolved (${where}).`,
};

function unusableDatabase(error: unknown, url: string): DatabaseUnusable | undefined {
  const { code } = (error ?? {}) as { code?: unknown };
  const explain = UNUSABLE[String(code)];
  if (!explain) return undefined;
  const parsed = new URL(url);
  return new DatabaseUnusable(explain(`${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`));
}

/** Drops a schema made for one test run. */
export async function dropPostgresSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Not a usable PostgreSQL schema name: ${schema}`);
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}
