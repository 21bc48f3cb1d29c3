import type { PurgeReport } from '../../application/admin/purge-expired';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { InboxStats } from '../../application/lifecycle/lifecycle-ports';
import type { ChargeOutcomes } from '../../application/ports';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** The service's Prometheus metrics: HTTP latency by route and status, Stripe latency by operation, invoice outcomes. */
export class PrometheusMetrics implements ChargeOutcomes {
  readonly registry = new Registry();
  private readonly http = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route pattern, method and status',
    labelNames: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly stripe = new Histogram({
    name: 'stripe_request_duration_seconds',
    help: 'Latency of each Stripe request attempt by operation and outcome (ok, an HTTP status, or network)',
    labelNames: ['operation', 'outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly invoices = new Counter({
    name: 'invoice_outcomes_total',
    help: 'createStripeInvoice calls by outcome (a charge status or an error code) and mode',
    labelNames: ['outcome', 'mode'],
    registers: [this.registry],
  });

  private readonly reconciled = new Counter({
    name: 'reconcile_operations_total',
    help: 'Operations the background reconciliation took up, by result (completed, failed, gave_up, unresolved, busy)',
    labelNames: ['result'],
    registers: [this.registry],
  });

  private readonly events = new Counter({
    name: 'stripe_events_processed_total',
    help: 'Stripe events taken from the inbox, by type and outcome (applied, ignored, retry, failed)',
    labelNames: ['type', 'outcome'],
    registers: [this.registry],
  });

  private readonly purged = new Counter({
    name: 'store_purged_total',
    help: 'Records the retention deleted, by kind (idempotencyAnswers, stripeEvents, appEvents, ledgerRows)',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** The inbox's backlog and the age of its oldest unprocessed event, read from the store at each scrape. */
  watchInbox(stats: () => Promise<InboxStats>): void {
    let latest: Promise<InboxStats> | undefined;
    const read = () => (latest ??= stats().finally(() => (latest = undefined)));
    new Gauge({
      name: 'stripe_events_backlog',
      help: 'Stripe events received and not processed yet',
      registers: [this.registry],
      async collect() {
        this.set((await read()).backlog);
      },
    });
    new Gauge({
      name: 'stripe_events_oldest_unprocessed_seconds',
      help: 'How long the oldest unprocessed Stripe event has waited (0 with an empty backlog)',
      registers: [this.registry],
      async collect() {
        const { oldestReceivedAt } = await read();
        this.set(oldestReceivedAt ? Math.max(0, (Date.now() - oldestReceivedAt.getTime()) / 1000) : 0);
      },
    });
  }

  countPurged(report: PurgeReport): void {
    for (const [kind, count] of Object.entries(report)) this.purged.inc({ kind }, count);
  }

  countEvent(type: string, outcome: string): void {
    this.events.inc({ type, outcome });
  }

  private readonly deliveries = new Counter({
    name: 'webhook_deliveries_total',
    help: 'Attempts to deliver events to the apps, by outcome (delivered, retry, failed, endpoint_disabled)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });

  countDelivery(outcome: string): void {
    this.deliveries.inc({ outcome });
  }

  /** The deliveries to the apps still owed, and the age of the oldest, read at each scrape. */
  watchOutbox(stats: () => Promise<{ backlog: number; oldestCreatedAt: Date | null }>): void {
    new Gauge({
      name: 'webhook_deliveries_backlog',
      help: 'Deliveries of events to the apps not delivered yet',
      registers: [this.registry],
      async collect() {
        this.set((await stats()).backlog);
      },
    });
    new Gauge({
      name: 'webhook_deliveries_oldest_undelivered_seconds',
      help: 'Age of the oldest event not yet delivered to an endpoint (0 when none)',
      registers: [this.registry],
      async collect() {
        const { oldestCreatedAt } = await stats();
        this.set(oldestCreatedAt ? Math.max(0, (Date.now() - oldestCreatedAt.getTime()) / 1000) : 0);
      },
    });
  }

  observeHttp(method: string, route: string, status: number, seconds: number): void {
    this.http.observe({ method, route, status: String(status) }, seconds);
  }

  observeStripe(operation: string, seconds: number, outcome: string): void {
    this.stripe.observe({ operation, outcome }, seconds);
  }

  count(outcome: string, mode: string): void {
    this.invoices.inc({ outcome, mode });
  }

  countReconciled(result: string): void {
    this.reconciled.inc({ result });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
