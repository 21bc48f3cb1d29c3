import { inject, injectable } from 'inversify';
import { Clock } from '../ports';
import { AppEndpoints, DeliveryPolicy, WebhookOutbox, WebhookSender, WebhookSigner, type AppEndpoint, type DueDelivery, type SendResult } from './outbound-ports';

export const DELIVERY_OUTCOMES = ['delivered', 'retry', 'failed', 'endpoint_disabled'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export interface DeliveryReport {
  appId: string;
  eventId: string;
  endpointId: string;
  type: string;
  attempt: number;
  outcome: DeliveryOutcome;
  /** The receiver's status, or null when it did not answer. */
  status: number | null;
  detail: string | null;
}

const RESPONSE_LOGGED = 2_048;
const HONOURS_RETRY_AFTER = new Set([429, 503]);
const CLAIM_MARGIN_MS = 5_000;
const LONGEST_RETRY_AFTER_MS = 86_400_000;

/**
 * The dispatcher: claims, per endpoint, the oldest event not yet delivered, signs it (Standard Webhooks: one
 * `webhook-id` per event, whatever the attempt), sends it, logs the attempt and decides what follows. Only 2xx is
 * success. 410 disables the endpoint; an endpoint failing for the whole disable window is disabled too; otherwise
 * the delivery is tried again on the policy's schedule (or after the receiver's Retry-After on 429 and 503), then
 * given up. Run by every server in the background and by `webhooks dispatch` from cron.
 */
@injectable()
export class DeliverAppEvents {
  constructor(
    @inject(WebhookOutbox) private readonly outbox: WebhookOutbox,
    @inject(AppEndpoints) private readonly endpoints: AppEndpoints,
    @inject(WebhookSender) private readonly sender: WebhookSender,
    @inject(WebhookSigner) private readonly signer: WebhookSigner,
    @inject(DeliveryPolicy) private readonly policy: DeliveryPolicy,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  /** One batch: at most one event per endpoint, sent concurrently. */
  async run(limit = 20): Promise<DeliveryReport[]> {
    const now = this.clock.now();
    // The claim outlasts the longest attempt (the timeout bounds it, name resolution included), so that no other
    // dispatcher sends the same event while this one waits for the answer.
    const due = await this.outbox.claim(now, new Date(now.getTime() + this.policy.timeoutMs + CLAIM_MARGIN_MS), limit);
    return Promise.all(due.map((delivery) => this.deliver(delivery)));
  }

  async backlog() {
    return this.outbox.stats();
  }

  private async deliver(delivery: DueDelivery): Promise<DeliveryReport> {
    const attempt = delivery.attempts + 1;
    const report = (outcome: DeliveryOutcome, status: number | null = null, detail: string | null = null): DeliveryReport => ({
      appId: delivery.appId, eventId: delivery.eventId, endpointId: delivery.endpointId, type: delivery.type, attempt, outcome, status, detail,
    });
    const endpoint = await this.endpoints.find(delivery.appId, delivery.endpointId);
    if (!endpoint || endpoint.status !== 'enabled') {
      await this.outbox.stopEndpoint(delivery.endpointId);
      return report('endpoint_disabled', null, endpoint ? `endpoint disabled (${endpoint.disabledReason})` : 'endpoint removed');
    }
    const at = this.clock.now();
    const result = await this.send(endpoint, delivery, at);
    await this.outbox.recordAttempt({
      eventId: delivery.eventId, endpointId: endpoint.id, appId: delivery.appId, attempt, at,
      status: result.kind === 'answered' ? result.status : null,
      error: result.kind === 'answered' ? null : result.kind === 'refused' ? `target refused: ${result.reason}` : result.error,
      durationMs: result.kind === 'refused' ? 0 : result.durationMs,
      response: result.kind === 'answered' ? result.body.slice(0, RESPONSE_LOGGED) : '',
    });
    const status = result.kind === 'answered' ? result.status : null;
    if (status !== null && status >= 200 && status < 300) {
      await this.outbox.delivered(delivery, this.clock.now());
      if (endpoint.failingSince) await this.endpoints.setFailingSince(endpoint.id, null);
      return report('delivered', status);
    }
    const detail = result.kind === 'answered' ? `HTTP ${result.status}` : result.kind === 'refused' ? result.reason : result.error;
    if (status === 410) return this.disable(endpoint, 'gone', at, report, status, detail);
    const failingSince = endpoint.failingSince ?? at;
    if (!endpoint.failingSince) await this.endpoints.setFailingSince(endpoint.id, at);
    if (at.getTime() - failingSince.getTime() >= this.policy.disableAfterFailingMs * this.policy.timeScale) {
      return this.disable(endpoint, 'failing', at, report, status, detail);
    }
    if (attempt > this.policy.retryWaitsMs.length) {
      await this.outbox.giveUp(delivery);
      return report('failed', status, detail);
    }
    await this.outbox.retryAt({ ...delivery, attempts: attempt }, new Date(at.getTime() + this.waitAfter(attempt, result)));
    return report('retry', status, detail);
  }

  private send(endpoint: AppEndpoint, delivery: DueDelivery, at: Date): Promise<SendResult> {
    return this.endpoints.secrets(endpoint.id, at).then((secrets) =>
      this.sender.send({
        url: endpoint.url,
        headers: {
          'content-type': 'application/json',
          'webhook-id': delivery.eventId,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': this.signer.sign(secrets, delivery.eventId, at, delivery.body),
        },
        body: delivery.body,
        timeoutMs: this.policy.timeoutMs,
      }),
    );
  }

  /**
   * The wait before the next attempt: the schedule, ±10 %. A receiver's Retry-After (on 429 and 503) can only
   * lengthen it, up to a day: a small one would burn the attempts in seconds, a huge one stall the endpoint's queue.
   */
  private waitAfter(attempt: number, result: SendResult): number {
    const scheduled = this.policy.retryWaitsMs[attempt - 1]! * (0.9 + Math.random() * 0.2);
    const asked = result.kind === 'answered' && HONOURS_RETRY_AFTER.has(result.status) ? result.retryAfterSeconds : null;
    const wait = asked === null ? scheduled : Math.max(scheduled, Math.min(asked * 1_000, LONGEST_RETRY_AFTER_MS));
    return wait * this.policy.timeScale;
  }

  private async disable(endpoint: AppEndpoint, reason: string, at: Date, report: (outcome: DeliveryOutcome, status: number | null, detail: string | null) => DeliveryReport, status: number | null, detail: string) {
    await this.endpoints.disable(endpoint.id, reason, at);
    await this.outbox.stopEndpoint(endpoint.id);
    return report('endpoint_disabled', status, `${detail}; endpoint disabled (${reason})`);
  }
}
