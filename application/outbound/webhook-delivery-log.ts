import { inject, injectable } from 'inversify';
import { ValidationFailed } from '../../domain/errors';
import { ManageApps } from '../admin/manage-apps';
import { NotFound } from '../errors';
import { Clock } from '../ports';
import { ManageAppEndpoints } from './manage-app-endpoints';
import { WebhookOutbox, type DeliveryAttempt } from './outbound-ports';

/** The operator's view of deliveries: every attempt logged, and sending events again. */
@injectable()
export class WebhookDeliveryLog {
  constructor(
    @inject(WebhookOutbox) private readonly outbox: WebhookOutbox,
    @inject(ManageApps) private readonly apps: ManageApps,
    @inject(ManageAppEndpoints) private readonly endpoints: ManageAppEndpoints,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async attempts(appId: string, filter: { endpointId?: string | undefined; eventId?: string | undefined; limit?: number | undefined } = {}): Promise<DeliveryAttempt[]> {
    const limit = filter.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      throw new ValidationFailed('invalid_request', 'limit: a whole number from 1 to 10000', [{ path: 'limit', message: 'a whole number from 1 to 10000' }]);
    }
    const app = await this.apps.require(appId);
    return this.outbox.attempts(app.id, { endpointId: filter.endpointId, eventId: filter.eventId, limit });
  }

  /** Sends one event again, under its own `webhook-id`, to every endpoint it went to. */
  async redeliver(appId: string, eventId: string): Promise<{ deliveries: number }> {
    const app = await this.apps.require(appId);
    const deliveries = await this.outbox.redeliver(app.id, eventId, this.clock.now());
    if (deliveries === 0) throw new NotFound('event', eventId);
    return { deliveries };
  }

  /** Sends an endpoint every event of its app created since `since` (one it missed while down, or a new one). */
  async replay(appId: string, endpointId: string, since: Date): Promise<{ deliveries: number }> {
    if (Number.isNaN(since.getTime())) throw new ValidationFailed('invalid_request', 'since: not a time', [{ path: 'since', message: 'not a time' }]);
    const app = await this.apps.require(appId);
    const endpoint = await this.endpoints.require(app.id, endpointId);
    return { deliveries: await this.outbox.replay(endpoint, since, this.clock.now()) };
  }
}
