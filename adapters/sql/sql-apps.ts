import type { App, Apps } from '../../application/admin-ports';
import { parseAppId, type AppId } from '../../domain/ids';
import type { SqlDatabase } from './open-database';

export class SqlApps implements Apps {
  constructor(private readonly database: SqlDatabase) {}

  async create(app: App): Promise<void> {
    const { db, values } = this.database;
    await db.insertInto('apps').values({ id: app.id, name: app.name, created_at: values.time(app.createdAt) }).execute();
  }

  async find(id: AppId): Promise<App | undefined> {
    const row = await this.database.db.selectFrom('apps').selectAll().where('id', '=', id).executeTakeFirst();
    return row && this.toApp(row);
  }

  async list(): Promise<App[]> {
    const rows = await this.database.db.selectFrom('apps').selectAll().orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => this.toApp(row));
  }

  private toApp(row: { id: string; name: string; created_at: unknown }): App {
    return { id: parseAppId(row.id), name: row.name, createdAt: this.database.values.readTime(row.created_at) };
  }
}
