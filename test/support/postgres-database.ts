import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A database of its own for one test run on the server at `serverUrl`, dropped (connections and all) afterwards. */
export async function createTestDatabase(serverUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `tsinv_${randomBytes(6).toString('hex')}`;
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
    for (let waited = 0; waited < 5_000; waited += 50) {
      const [open] = await admin<{ count: string }>('select count(*) from pg_stat_activity where datname = $1', [name]);
      if (Number(open?.count ?? 0) === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin(`drop database if exists ${name} with (force)`);
  };
  return { url: url.toString(), drop };
}
