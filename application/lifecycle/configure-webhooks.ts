import { inject, injectable } from 'inversify';
import { z } from 'zod';
import type { AppId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';
import { ManageApps } from '../admin/manage-apps';
import { parseInput } from '../admin/parse-input';
import { NotFound } from '../errors';
import { Clock, StripeAccounts } from '../ports';
import { Secret } from '../secret';
import { StripeWebhookEndpoints, WebhookSecrets, type WebhookSecretStatus } from './lifecycle-ports';
import { FOLLOWED_EVENT_TYPES } from './stripe-event';

const Mode = z.enum(['live', 'test']);
const Connect = z.strictObject({
  appId: z.string(),
  mode: Mode,
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be the public http(s) base URL of this service' }),
});
const SetSecret = z.strictObject({
  appId: z.string(),
  mode: Mode,
  secret: z.string().trim().regex(/^whsec_[A-Za-z0-9+/=_-]{16,200}$/, 'must be a Stripe webhook signing secret (whsec_…)'),
});

/** Where Stripe delivers an app's events for a mode, below the service's public base URL. */
export function webhookPath(appId: string, mode: string): string {
  return `/api/v1/stripe/webhooks/${appId}/${mode}`;
}

/**
 * Connects an app's Stripe account to this service: registers a webhook endpoint for the events the service
 * follows, with the app's own key, and keeps the returned signing secret sealed. Connecting again replaces the
 * endpoint (the old one is removed once the new secret is stored). An endpoint made by hand gets its secret with
 * `setSecret`.
 */
@injectable()
export class ConfigureWebhooks {
  constructor(
    @inject(ManageApps) private readonly apps: ManageApps,
    @inject(StripeAccounts) private readonly accounts: StripeAccounts,
    @inject(StripeWebhookEndpoints) private readonly endpoints: StripeWebhookEndpoints,
    @inject(WebhookSecrets) private readonly secrets: WebhookSecrets,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async connect(input: z.input<typeof Connect>): Promise<WebhookSecretStatus & { url: string }> {
    const { appId, mode, baseUrl } = parseInput(Connect, input);
    const app = await this.apps.require(appId);
    const account = await this.accounts.find(app.id, mode);
    if (!account) throw new NotFound(`Stripe ${mode} key for app`, app.id);
    const url = `${baseUrl.replace(/\/+$/, '')}${webhookPath(app.id, mode)}`;
    const previous = await this.secrets.find(app.id, mode);
    const endpoint = await this.endpoints.create(account, url, FOLLOWED_EVENT_TYPES);
    await this.secrets.set(app.id, mode, endpoint.secret, endpoint.id, this.clock.now());
    if (previous?.endpointId && previous.endpointId !== endpoint.id) await this.endpoints.remove(account, previous.endpointId);
    return { ...(await this.statusOf(app.id, mode)), url };
  }

  async setSecret(input: z.input<typeof SetSecret>): Promise<WebhookSecretStatus> {
    const { appId, mode, secret } = parseInput(SetSecret, input);
    const app = await this.apps.require(appId);
    await this.secrets.set(app.id, mode, new Secret(secret), null, this.clock.now());
    return this.statusOf(app.id, mode);
  }

  async status(appId: string): Promise<WebhookSecretStatus[]> {
    return this.secrets.status((await this.apps.require(appId)).id);
  }

  /** The status of a secret just stored. */
  private async statusOf(appId: AppId, mode: StripeMode): Promise<WebhookSecretStatus> {
    return (await this.secrets.status(appId)).find((entry) => entry.mode === mode)!;
  }
}
