import { inject, injectable } from 'inversify';
import { parseAppId, type AppId } from '../../domain/ids';
import { STRIPE_MODES, type StripeMode } from '../../domain/modes';
import { WebhookRejected } from '../errors';
import { Clock } from '../ports';
import { EventsArrived, StripeEventInbox, WebhookSecrets, WebhookVerifier } from './lifecycle-ports';

export interface WebhookDelivery {
  appId: string;
  mode: string;
  /** The body exactly as received: the signature covers these bytes. */
  payload: string;
  signature: string | undefined;
}

export const RECEIVE_STRIPE_EVENT_ERRORS = [WebhookRejected] as const;

/**
 * A webhook delivery from Stripe for one app and mode: verified with that app's signing secret, stored in the inbox
 * under its event id (a duplicate changes nothing) and acknowledged. Processing happens from the inbox, so a crash
 * after this answer loses nothing. An unknown app or mode is refused exactly like a wrong signature.
 */
@injectable()
export class ReceiveStripeEvent {
  constructor(
    @inject(WebhookSecrets) private readonly secrets: WebhookSecrets,
    @inject(WebhookVerifier) private readonly verifier: WebhookVerifier,
    @inject(StripeEventInbox) private readonly inbox: StripeEventInbox,
    @inject(EventsArrived) private readonly arrived: EventsArrived,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(delivery: WebhookDelivery): Promise<{ eventId: string; duplicate: boolean }> {
    const { appId, mode } = endpointOf(delivery);
    const found = appId && mode ? await this.secrets.find(appId, mode) : undefined;
    if (!appId || !mode || !found) throw new WebhookRejected('no webhook signing secret is set for this app and mode.');
    if (!delivery.signature) throw new WebhookRejected('the Stripe-Signature header is missing.');
    const event = this.verifier.verify(delivery.payload, delivery.signature, found.secret);
    if (event.livemode !== (mode === 'live')) {
      throw new WebhookRejected(`a ${event.livemode ? 'live' : 'test'}-mode event was sent to the ${mode}-mode endpoint.`);
    }
    const added = await this.inbox.add(appId, mode, event, this.clock.now());
    if (added) this.arrived.notify();
    return { eventId: event.id, duplicate: !added };
  }
}

function endpointOf(delivery: WebhookDelivery): { appId: AppId | undefined; mode: StripeMode | undefined } {
  let appId: AppId | undefined;
  try {
    appId = parseAppId(delivery.appId);
  } catch {
    appId = undefined;
  }
  const mode = (STRIPE_MODES as readonly string[]).includes(delivery.mode) ? (delivery.mode as StripeMode) : undefined;
  return { appId, mode };
}
