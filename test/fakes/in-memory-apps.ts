import type { App, Apps } from '../../application/admin-ports';
import type { AppId } from '../../domain/ids';

export class InMemoryApps implements Apps {
  private readonly byId = new Map<AppId, App>();

  async create(app: App): Promise<void> {
    if (this.byId.has(app.id)) throw new Error(`app ${app.id} exists`);
    this.byId.set(app.id, { ...app });
  }

  async find(id: AppId): Promise<App | undefined> {
    const app = this.byId.get(id);
    return app && { ...app };
  }

  async list(): Promise<App[]> {
    return [...this.byId.values()].map((app) => ({ ...app }));
  }
}
