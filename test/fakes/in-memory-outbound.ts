import { randomUUID } from 'node:crypto';
import type { AppEventType } from '../../application/outbound/app-events';
import type {
  AppEndpoint,
  AppEndpoints,
  DeliveryAttempt,
  DeliveryStatus,
  DueDelivery,
  OutboxStats,
  WebhookOutbox,
} from '../../application/outbound/outbound-ports';
import type { Secret } from '../../application/secret';
import type { AppId } from '../../domain/ids';

interface StoredEvent {
  seq: number;
  id: string;
  appId: AppId;
  type: AppEventType;
  body: string;
  createdAt: Date;
}

interface Delivery {
  eventSeq: number;
  endpointId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAt: number;
  leaseUntil: number;
}

/** The apps' endpoints and their secrets, in memory. */
export class InMemoryAppEndpoints implements AppEndpoints {
  readonly endpoints = new Map<string, AppEndpoint>();
  private readonly keys = new Map<string, { secret: Secret; createdAt: Date; expiresAt: Date | null }[]>();

  async create(endpoint: AppEndpoint, secret: Secret): Promise<void> {
    this.endpoints.set(endpoint.id, { ...endpoint });
    this.keys.set(endpoint.id, [{ secret, createdAt: endpoint.createdAt, expiresAt: null }]);
  }

  async list(appId: AppId): Promise<AppEndpoint[]> {
    return [...this.endpoints.values()].filter((endpoint) => endpoint.appId === appId).map((endpoint) => ({ ...endpoint }));
  }

  async find(appId: AppId, id: string): Promise<AppEndpoint | undefined> {
    const found = this.endpoints.get(id);
    return found?.appId === appId ? { ...found } : undefined;
  }

  async remove(appId: AppId, id: string): Promise<boolean> {
    if (this.endpoints.get(id)?.appId !== appId) return false;
    this.endpoints.delete(id);
    this.keys.delete(id);
    return true;
  }

  async secrets(endpointId: string, now: Date): Promise<Secret[]> {
    return (this.keys.get(endpointId) ?? [])
      .filter((key) => key.expiresAt === null || key.expiresAt > now)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((key) => key.secret);
  }

  async rotate(endpointId: string, secret: Secret, now: Date, oldUntil: Date): Promise<void> {
    const keys = this.keys.get(endpointId) ?? [];
    for (const key of keys) if (key.expiresAt === null || key.expiresAt > oldUntil) key.expiresAt = oldUntil;
    keys.push({ secret, createdAt: now, expiresAt: null });
    this.keys.set(endpointId, keys);
  }

  async setFailingSince(endpointId: string, since: Date | null): Promise<void> {
    Object.assign(this.endpoints.get(endpointId)!, { failingSince: since });
  }

  async disable(endpointId: string, reason: string, at: Date): Promise<void> {
    Object.assign(this.endpoints.get(endpointId)!, { status: 'disabled', disabledReason: reason, disabledAt: at });
  }
}

/** The outbox in memory: events, one delivery per event and endpoint, and the attempt log. */
export class InMemoryWebhookOutbox implements WebhookOutbox {
  readonly events: StoredEvent[] = [];
  readonly deliveries: Delivery[] = [];
  readonly log: DeliveryAttempt[] = [];
  private nextSeq = 1;

  constructor(private readonly endpoints: InMemoryAppEndpoints) {}

  record(appId: AppId, events: { type: AppEventType; body: string; createdAt: Date }[]): void {
    for (const event of events) {
      const stored = { ...event, seq: this.nextSeq++, id: `msg_${randomUUID().replaceAll('-', '')}`, appId };
      this.events.push(stored);
      for (const endpoint of this.endpoints.endpoints.values()) {
        if (endpoint.appId !== appId || endpoint.status !== 'enabled' || (endpoint.eventTypes && !endpoint.eventTypes.includes(event.type))) continue;
        this.deliveries.push({ eventSeq: stored.seq, endpointId: endpoint.id, status: 'pending', attempts: 0, nextAt: event.createdAt.getTime(), leaseUntil: 0 });
      }
    }
  }

  async claim(now: Date, leaseUntil: Date, limit: number): Promise<DueDelivery[]> {
    const heads = new Map<string, Delivery>();
    for (const delivery of [...this.deliveries].sort((a, b) => a.eventSeq - b.eventSeq)) {
      if (delivery.status === 'pending' && !heads.has(delivery.endpointId)) heads.set(delivery.endpointId, delivery);
    }
    const due = [...heads.values()].filter((delivery) => delivery.nextAt <= now.getTime() && delivery.leaseUntil <= now.getTime()).slice(0, limit);
    return due.map((delivery) => {
      delivery.leaseUntil = leaseUntil.getTime();
      const event = this.eventOf(delivery);
      return { eventId: event.id, eventSeq: event.seq, appId: event.appId, endpointId: delivery.endpointId, type: event.type, body: event.body, attempts: delivery.attempts, leaseUntil };
    });
  }

  async delivered(delivery: DueDelivery): Promise<void> {
    this.stillHeld(delivery, { status: 'delivered', attempts: delivery.attempts + 1, leaseUntil: 0 });
  }

  async retryAt(delivery: DueDelivery, nextAt: Date): Promise<void> {
    this.stillHeld(delivery, { attempts: delivery.attempts, nextAt: nextAt.getTime(), leaseUntil: 0 });
  }

  async giveUp(delivery: DueDelivery): Promise<void> {
    this.stillHeld(delivery, { status: 'failed', attempts: delivery.attempts + 1, leaseUntil: 0 });
  }

  private stillHeld(due: DueDelivery, change: Partial<Delivery>): void {
    const delivery = this.find(due);
    if (delivery.status === 'pending' && delivery.leaseUntil === due.leaseUntil.getTime()) Object.assign(delivery, change);
  }

  async stopEndpoint(endpointId: string): Promise<void> {
    for (const delivery of this.deliveries) if (delivery.endpointId === endpointId && delivery.status === 'pending') delivery.status = 'endpoint_disabled';
  }

  async recordAttempt(attempt: DeliveryAttempt): Promise<void> {
    this.log.push({ ...attempt });
  }

  async attempts(appId: AppId, filter: { endpointId?: string | undefined; eventId?: string | undefined; limit: number }): Promise<DeliveryAttempt[]> {
    return this.log
      .filter((attempt) => attempt.appId === appId && (!filter.endpointId || attempt.endpointId === filter.endpointId) && (!filter.eventId || attempt.eventId === filter.eventId))
      .reverse()
      .slice(0, filter.limit);
  }

  async redeliver(appId: AppId, eventId: string, now: Date): Promise<number> {
    const event = this.events.find((candidate) => candidate.id === eventId && candidate.appId === appId);
    const deliveries = event ? this.deliveries.filter((delivery) => delivery.eventSeq === event.seq) : [];
    for (const delivery of deliveries) Object.assign(delivery, { status: 'pending', attempts: 0, nextAt: now.getTime(), leaseUntil: 0 });
    return deliveries.length;
  }

  async replay(endpoint: AppEndpoint, since: Date, now: Date): Promise<number> {
    const wanted = this.events.filter((event) => event.appId === endpoint.appId && event.createdAt >= since && (!endpoint.eventTypes || endpoint.eventTypes.includes(event.type)));
    for (const event of wanted) {
      const existing = this.deliveries.find((delivery) => delivery.eventSeq === event.seq && delivery.endpointId === endpoint.id);
      const fresh = { status: 'pending' as const, attempts: 0, nextAt: now.getTime(), leaseUntil: 0 };
      if (existing) Object.assign(existing, fresh);
      else this.deliveries.push({ eventSeq: event.seq, endpointId: endpoint.id, ...fresh });
    }
    return wanted.length;
  }

  async stats(): Promise<OutboxStats> {
    const pending = this.deliveries.filter((delivery) => delivery.status === 'pending');
    const oldest = pending.map((delivery) => this.eventOf(delivery).createdAt).sort((a, b) => a.getTime() - b.getTime())[0];
    return { backlog: pending.length, oldestCreatedAt: oldest ?? null };
  }

  /** Retention: events older than `before` with no pending delivery go, with their deliveries and attempts. */
  purgeExpired(before: Date, limit: number): number {
    const pending = new Set(this.deliveries.filter((delivery) => delivery.status === 'pending').map((delivery) => delivery.eventSeq));
    const expired = this.events.filter((event) => event.createdAt < before && !pending.has(event.seq)).slice(0, limit);
    const seqs = new Set(expired.map((event) => event.seq));
    const ids = new Set(expired.map((event) => event.id));
    keepOnly(this.events, (event) => !seqs.has(event.seq));
    keepOnly(this.deliveries, (delivery) => !seqs.has(delivery.eventSeq));
    keepOnly(this.log, (attempt) => !ids.has(attempt.eventId));
    return expired.length;
  }

  private eventOf(delivery: Delivery): StoredEvent {
    return this.events.find((event) => event.seq === delivery.eventSeq)!;
  }

  private find(due: DueDelivery): Delivery {
    return this.deliveries.find((delivery) => delivery.eventSeq === due.eventSeq && delivery.endpointId === due.endpointId)!;
  }
}

function keepOnly<T>(items: T[], keep: (item: T) => boolean): void {
  const kept = items.filter(keep);
  items.splice(0, items.length, ...kept);
}
