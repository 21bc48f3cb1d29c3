import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { eventually } from './eventually';

/** A database of its own for one test run on the server at `serverUrl`, dropped (connections and all) afterwards. */
export async function createTestDatabase(serverUrl: string, prefix = 'tsinv'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = async <T extends pg.QueryResultRow>(statement: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return (await client.query<T>(statement, values)).rows;
    } finally {
      await client.end();
    }
  };
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    // pg's pool.end() resolves before its sockets have closed: killing a connection that is still saying goodbye
    // makes its client raise an error nobody listens to any more. Let them go first; force only what stays.
    const closed = async () => Number((await admin<{ count: string }>('select count(*) from pg_stat_activity where datname = $1', [name]))[0]?.count ?? 0) === 0;
    await eventually(closed, { withinMs: 5_000, everyMs: 50 }).catch(() => undefined);
    await admin(`drop database if exists ${name} with (force)`);
  };
  return { url: url.toString(), drop };
}
