import type Stripe from 'stripe';
import type { AccountStore } from '../account-store';
import { DeliveryChaos, type Delivery, type DeliveryLogEntry } from './delivery';
import { stripeSignature } from './signature';

export interface DeliverySettings {
  /** Waits between attempts after a failed one; Stripe's is hours over 3 days, the emulator's is compressed. */
  retryScheduleMs: number[];
  /** How long a receiver may take to answer. */
  timeoutMs: number;
}

const LOG_LIMIT = 50_000;
const TICK_MS = 20;

/**
 * Sends each event to every enabled endpoint of its account and mode that wants its type, signed as Stripe signs,
 * and retries non-2xx answers on the schedule. Delivery chaos (duplicates, drops, delays, shuffles) is applied when
 * a delivery is queued. Deliveries are kept with the account (and so in the state file): a restart resumes them.
 */
export class WebhookDispatcher {
  readonly chaos = new DeliveryChaos();
  readonly log: DeliveryLogEntry[] = [];
  private readonly pending = new Map<string, AccountStore>();
  private readonly sending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;

  constructor(
    readonly settings: DeliverySettings,
    private readonly changed: () => void,
  ) {}

  queue(store: AccountStore, events: Stripe.Event[]): void {
    for (const event of events) {
      for (const endpoint of store.webhookEndpoints.values()) {
        if (endpoint.status !== 'enabled' || !wants(endpoint, event.type)) continue;
        this.queueOne(store, event, endpoint);
      }
    }
  }

  /** Picks up the deliveries a restored state still owes. */
  resume(stores: Iterable<AccountStore>): void {
    this.pending.clear();
    for (const store of stores) for (const [key, delivery] of store.deliveries) if (delivery.status === 'pending') this.pending.set(key, store);
  }

  /** Deliveries still to be sent or retried (dropped ones are never sent, and not counted). */
  get owed(): number {
    return this.pending.size;
  }

  reset(): void {
    this.pending.clear();
    this.chaos.clear();
    this.log.length = 0;
  }

  start(): void {
    this.timer ??= setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private queueOne(store: AccountStore, event: Stripe.Event, endpoint: Stripe.WebhookEndpoint): void {
    const key = `${event.id}/${endpoint.id}`;
    const hold = (kind: 'delay' | 'shuffle', fallbackMs: number) => {
      const rule = this.chaos.takeFor(kind, event.type);
      return rule ? Math.random() * (rule.maxDelayMs ?? fallbackMs) : 0;
    };
    const dropped = this.chaos.takeFor('drop', event.type) !== undefined;
    const delivery: Delivery = {
      eventId: event.id,
      endpointId: endpoint.id,
      attempts: 0,
      nextAt: Date.now() + hold('delay', 2_000) + hold('shuffle', 300),
      status: dropped ? 'dropped' : 'pending',
      copies: this.chaos.takeFor('duplicate', event.type) ? 1 : 0,
    };
    event.pending_webhooks += 1;
    store.deliveries.set(key, delivery);
    if (dropped) this.record(delivery, event.type, endpoint.url, 'dropped', false, 0);
    else this.pending.set(key, store);
  }

  private tick(): void {
    const now = Date.now();
    for (const [key, store] of this.pending) {
      const delivery = store.deliveries.get(key);
      if (!delivery || delivery.status !== 'pending') {
        this.pending.delete(key);
        continue;
      }
      if (delivery.nextAt > now || this.sending.has(key)) continue;
      this.sending.add(key);
      void this.attempt(store, key, delivery).finally(() => this.sending.delete(key));
    }
  }

  private async attempt(store: AccountStore, key: string, delivery: Delivery): Promise<void> {
    const event = store.events.get(delivery.eventId);
    const endpoint = store.webhookEndpoints.get(delivery.endpointId);
    const secret = store.webhookSecrets.get(delivery.endpointId);
    if (!event || !endpoint || !secret) {
      delivery.status = 'failed';
      return;
    }
    const copies = delivery.attempts === 0 ? delivery.copies : 0;
    delivery.attempts += 1;
    const sends = Array.from({ length: 1 + copies }, (_, copy) => this.send(event, endpoint, secret, delivery.attempts, copy > 0));
    const [status] = await Promise.all(sends);
    if (typeof status === 'number' && status >= 200 && status < 300) {
      delivery.status = 'succeeded';
      event.pending_webhooks = Math.max(0, event.pending_webhooks - 1);
    } else if (delivery.attempts > this.settings.retryScheduleMs.length) {
      delivery.status = 'failed';
    } else {
      delivery.nextAt = Date.now() + this.settings.retryScheduleMs[delivery.attempts - 1]!;
    }
    if (delivery.status !== 'pending') this.pending.delete(key);
    this.changed();
  }

  private async send(event: Stripe.Event, endpoint: Stripe.WebhookEndpoint, secret: string, attempt: number, duplicate: boolean) {
    const payload = JSON.stringify(event, null, 2);
    const started = Date.now();
    let status: number | 'error';
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json; charset=utf-8',
          'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
          'Stripe-Signature': stripeSignature(secret, payload, Math.floor(Date.now() / 1000)),
        },
        body: payload,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 'error';
    }
    this.record({ eventId: event.id, endpointId: endpoint.id }, event.type, endpoint.url, status, duplicate, Date.now() - started, attempt);
    return status;
  }

  private record(delivery: Pick<Delivery, 'eventId' | 'endpointId'>, type: string, url: string, status: DeliveryLogEntry['status'], duplicate: boolean, durationMs: number, attempt = 0): void {
    this.sequence += 1;
    this.log.push({ seq: this.sequence, at: new Date().toISOString(), eventId: delivery.eventId, type, endpointId: delivery.endpointId, url, attempt, status, duplicate, durationMs });
    if (this.log.length > LOG_LIMIT * 1.1) this.log.splice(0, this.log.length - LOG_LIMIT);
  }
}

function wants(endpoint: Stripe.WebhookEndpoint, type: string): boolean {
  return endpoint.enabled_events.includes('*') || endpoint.enabled_events.includes(type);
}
