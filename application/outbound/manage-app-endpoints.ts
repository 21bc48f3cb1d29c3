import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { Forbidden, ValidationFailed } from '../../domain/errors';
import type { AppId } from '../../domain/ids';
import { ManageApps } from '../admin/manage-apps';
import { parseInput } from '../admin/parse-input';
import type { Caller } from '../caller';
import { NotFound } from '../errors';
import { Clock, Ids } from '../ports';
import { APP_EVENT_TYPES } from './app-events';
import { AppEndpoints, WebhookOutbox, WebhookSender, WebhookSigner, type AppEndpoint } from './outbound-ports';

export const NewEndpoint = z.strictObject({
  url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2_048),
  events: z.array(z.enum(APP_EVENT_TYPES)).min(1).optional().meta({ description: 'The event types to send; all when left out.' }),
});
export type NewEndpoint = z.input<typeof NewEndpoint>;

const MAX_OVERLAP_MS = 7 * 86_400_000;

/** Every error the app's own endpoint calls throw on purpose; adapters derive their error tables from it. */
export const MANAGE_APP_ENDPOINTS_ERRORS = [ValidationFailed, Forbidden, NotFound] as const;

/** An endpoint as the app and the operator see it (never its secret). */
export function endpointData(endpoint: AppEndpoint) {
  return {
    id: endpoint.id,
    url: endpoint.url,
    events: endpoint.eventTypes ?? [...APP_EVENT_TYPES],
    status: endpoint.status,
    disabledReason: endpoint.disabledReason,
    disabledAt: endpoint.disabledAt?.toISOString() ?? null,
    createdAt: endpoint.createdAt.toISOString(),
  };
}

/**
 * An app's endpoints for the events the service sends it: made (the secret is shown once, in this answer), listed,
 * removed, their secret rotated with an overlap during which both secrets sign. The same use case serves the
 * operator CLI (by app id) and the app itself over REST (by its key: a read key lists, a write key changes).
 */
@injectable()
export class ManageAppEndpoints {
  constructor(
    @inject(AppEndpoints) private readonly endpoints: AppEndpoints,
    @inject(WebhookOutbox) private readonly outbox: WebhookOutbox,
    @inject(WebhookSender) private readonly sender: WebhookSender,
    @inject(WebhookSigner) private readonly signer: WebhookSigner,
    @inject(ManageApps) private readonly apps: ManageApps,
    @inject(Ids) private readonly ids: Ids,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async create(appId: string, input: unknown): Promise<{ endpoint: AppEndpoint; secret: string }> {
    const owner = (await this.apps.require(appId)).id;
    const { url, events } = parseInput(NewEndpoint, input);
    const refusal = await this.sender.refusal(url);
    if (refusal) throw new ValidationFailed('invalid_request', `url: ${refusal}`, [{ path: 'url', message: refusal }]);
    const endpoint: AppEndpoint = {
      id: `we_${this.ids.next().replaceAll('-', '')}`, appId: owner, url, eventTypes: events ?? null, status: 'enabled',
      disabledReason: null, disabledAt: null, failingSince: null, createdAt: this.clock.now(),
    };
    const secret = this.signer.newSecret();
    await this.endpoints.create(endpoint, secret);
    return { endpoint, secret: secret.reveal() };
  }

  async list(appId: string): Promise<AppEndpoint[]> {
    return this.endpoints.list((await this.apps.require(appId)).id);
  }

  async remove(appId: string, endpointId: string): Promise<void> {
    const owner = (await this.apps.require(appId)).id;
    if (!(await this.endpoints.remove(owner, endpointId))) throw new NotFound('webhook endpoint', endpointId);
    await this.outbox.stopEndpoint(endpointId);
  }

  /** A new secret, shown once; the old one keeps signing (beside the new) for `overlapMs`. */
  async rotateSecret(appId: string, endpointId: string, overlapMs: number): Promise<{ endpoint: AppEndpoint; secret: string; oldSecretUntil: Date }> {
    if (!Number.isFinite(overlapMs) || overlapMs < 0 || overlapMs > MAX_OVERLAP_MS) {
      throw new ValidationFailed('invalid_request', 'overlap: from 0 to 7 days', [{ path: 'overlap', message: 'from 0 to 7 days' }]);
    }
    const endpoint = await this.require((await this.apps.require(appId)).id, endpointId);
    const now = this.clock.now();
    const secret = this.signer.newSecret();
    const oldSecretUntil = new Date(now.getTime() + overlapMs);
    await this.endpoints.rotate(endpoint.id, secret, now, oldSecretUntil);
    return { endpoint, secret: secret.reveal(), oldSecretUntil };
  }

  /** The app's own calls: any key reads, only a write key changes. */
  forCaller(caller: Caller) {
    const writer = () => {
      if (caller.keyType !== 'write') throw new Forbidden('read_key', 'Changing webhook endpoints needs a write key.');
      return caller.appId;
    };
    return {
      create: async (input: unknown) => this.create(writer(), input),
      list: async () => this.list(caller.appId),
      remove: async (endpointId: string) => this.remove(writer(), endpointId),
    };
  }

  async require(appId: AppId, endpointId: string): Promise<AppEndpoint> {
    const endpoint = await this.endpoints.find(appId, endpointId);
    if (!endpoint) throw new NotFound('webhook endpoint', endpointId);
    return endpoint;
  }
}
