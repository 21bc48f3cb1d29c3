import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { parseAppId, type AppId } from '../../domain/ids';
import { isWellFormedText } from '../../domain/text';
import { Apps, type App } from '../admin-ports';
import { Clock, Ids } from '../ports';
import { NotFound } from '../errors';
import { parseInput } from './parse-input';

const CreateApp = z.strictObject({ name: z.string().trim().min(1).max(200).refine(isWellFormedText, 'must be well-formed Unicode') });

/** Registers the apps (the service's API customers) that bill their tenants. */
@injectable()
export class ManageApps {
  constructor(
    @inject(Apps) private readonly apps: Apps,
    @inject(Clock) private readonly clock: Clock,
    @inject(Ids) private readonly ids: Ids,
  ) {}

  async create(input: z.input<typeof CreateApp>): Promise<App> {
    const { name } = parseInput(CreateApp, input);
    const app = { id: parseAppId(this.ids.next()), name, createdAt: this.clock.now() };
    await this.apps.create(app);
    return app;
  }

  list(): Promise<App[]> {
    return this.apps.list();
  }

  /** The app, or NotFound: every operator command about an app checks it exists first. */
  async require(id: string): Promise<App> {
    const appId: AppId = parseAppId(id);
    const app = await this.apps.find(appId);
    if (!app) throw new NotFound('app', appId);
    return app;
  }
}
