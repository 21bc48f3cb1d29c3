import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { loadConfig, type ServiceConfig } from './config';
import { openService } from './open-service';
import { buildHttpServer } from '../http/http-server';
import { banner, graphiqlOperations } from './local-banner';
import { workInBackground, type BackgroundWork } from './background-work';
import { repeatInBackground } from './background-runs';
import { startLocalEmulator } from './local-emulator';
import { LOCAL_STRIPE_KEYS, credentialsFile, ensureLocalSetup, localDocsSetup, writeLocalCredentials } from './local-mode';
import { PrometheusMetrics } from '../http/prometheus-metrics';
import { EXIT, exitCodeOf } from '../cli/exit-codes';

/** How long shutdown waits for requests in flight (a charge can take several Stripe round trips with retries). */
const SHUTDOWN_GRACE_MS = 30_000;
/** How often the inbox is looked at when no delivery wakes the processor (retries, other instances' deliveries). */
const EVENTS_POLL_MS = 1_000;
/** How often the outbox is looked at for deliveries due (new events, retries whose time has come). */
const DISPATCH_POLL_MS = 500;

function createLogger(config: ServiceConfig) {
  return pino({
    level: config.logLevel,
    base: { service: 'tenant-stripe-invoices' },
    // Fastify's request serializer logs no headers; these paths stay redacted should anything log them.
    redact: {
      paths: ['req.headers["x-api-key"]', 'req.headers.authorization', 'req.headers.cookie', '*.secretKey', '*.writeKey', '*.readKey'],
      censor: '[redacted]',
    },
  });
}

/**
 * Test only: with ENABLE_TEST_FAULTS=1 (never in production), TEST_CRASH_AT=<point> kills the process with SIGKILL
 * right after that recovery point is committed, so the crash tests can prove a retry resumes from there;
 * `event_stored` kills it once a Stripe event is in the inbox, before it is acknowledged or processed.
 */
function testCrashSwitch(config: ServiceConfig, logger: ReturnType<typeof createLogger>) {
  const crashAt = process.env['TEST_CRASH_AT'];
  if (config.mode === 'production' || process.env['ENABLE_TEST_FAULTS'] !== '1' || !crashAt) return {};
  logger.warn({ crashAt }, 'TEST FAULT SWITCH ON: this process kills itself at that point');
  const crashAtPoint = (point: string) => {
    if (point === crashAt) process.kill(process.pid, 'SIGKILL');
  };
  return { onProgress: crashAtPoint, afterEventStored: () => crashAtPoint('event_stored') };
}

async function main(): Promise<void> {
  const config = loadConfig(process.env, { createStore: true });
  const logger = createLogger(config);
  for (const warning of config.warnings) logger.warn(warning);
  const metrics = new PrometheusMetrics();

  const localEmulator = config.mode === 'local' && !config.stripeApiBaseOverridden ? await startLocalEmulator(config) : undefined;
  if (config.stripeApiBaseOverridden) {
    logger.warn({ stripeApiBase: config.stripeApiBase }, `STRIPE_API_BASE is set: every Stripe request goes to ${config.stripeApiBase}, not api.stripe.com`);
  }
  const stripeApiBase = localEmulator?.url ?? config.stripeApiBase;
  let events: BackgroundWork | undefined;
  const { onProgress, afterEventStored } = testCrashSwitch(config, logger);
  const service = await openService(
    { ...config, stripeApiBase },
    {
      observeStripe: (...args) => metrics.observeStripe(...args),
      chargeOutcomes: metrics,
      eventsArrived: {
        notify: () => {
          afterEventStored?.();
          events?.notify();
        },
      },
      ...(onProgress ? { onProgress } : {}),
    },
  );
  metrics.watchInbox(() => service.processStripeEvents.backlog());
  metrics.watchOutbox(() => service.deliverAppEvents.backlog());
  const local = localEmulator && (await ensureLocalSetup(service, localEmulator, config));

  const app = buildHttpServer({
    useCases: service,
    metrics,
    ready: service.ready,
    production: config.mode === 'production',
    logger,
    graphiql: local && {
      headers: { 'X-API-KEY': local.setup.writeKey, 'X-API-KEY-TYPE': 'write', 'X-CLIENT-ID': local.setup.clientId },
      defaultQuery: graphiqlOperations(local.setup),
    },
    docs: local && localDocsSetup(local.setup),
  });
  await app.listen({ port: config.port, host: config.host });
  const { port } = app.server.address() as AddressInfo;
  const baseUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  if (local) {
    // The emulator delivers its events to this server, as Stripe would to a connected service.
    for (const mode of ['test', 'live'] as const) await service.webhooks.connect({ appId: local.setup.clientId, mode, baseUrl });
  }
  events = workInBackground(
    service.processStripeEvents,
    EVENTS_POLL_MS,
    (processed) => {
      for (const { type, outcome, appId, eventId, detail } of processed) {
        metrics.countEvent(type, outcome);
        if (outcome === 'failed') logger.error({ appId, eventId, type, detail }, 'a Stripe event could not be applied');
      }
    },
    (error) => logger.error({ err: error }, 'processing Stripe events failed'),
  );
  const dispatching = workInBackground(
    service.deliverAppEvents,
    DISPATCH_POLL_MS,
    (deliveries) => {
      for (const delivery of deliveries) {
        metrics.countDelivery(delivery.outcome);
        if (delivery.outcome === 'endpoint_disabled' || delivery.outcome === 'failed') logger.warn(delivery, 'an event could not be delivered to an app');
      }
    },
    (error) => logger.error({ err: error }, 'delivering events to the apps failed'),
  );
  if (local && localEmulator) {
    const credentials = writeLocalCredentials(config, { ...local.setup, baseUrl, stripeEmulatorUrl: localEmulator.url, stripeSecretKeys: LOCAL_STRIPE_KEYS });
    process.stdout.write(banner(credentials, { credentials: credentialsFile(config), reused: local.reused }));
  }
  logger.info({ mode: config.mode, baseUrl, storage: service.storage, stripe: stripeApiBase }, 'listening');

  const reconciling = config.reconcileIntervalMs > 0
    ? repeatInBackground(
        service.reconcile,
        config.reconcileIntervalMs,
        (report) => {
          for (const { result, appId, key, operationId, detail } of report.operations) {
            metrics.countReconciled(result);
            if (result === 'gave_up') logger.error({ appId, key, operationId, detail }, 'reconciliation gave up an operation');
          }
        },
        (error) => logger.error({ err: error }, 'background reconciliation failed'),
      )
    : undefined;
  const purging = config.purgeIntervalMs > 0
    ? repeatInBackground(
        service.purgeExpired,
        config.purgeIntervalMs,
        (report) => {
          metrics.countPurged(report);
          if (Object.values(report).some((count) => count > 0)) logger.info(report, 'purged what the retention no longer keeps');
        },
        (error) => logger.error({ err: error }, 'purging expired records failed'),
      )
    : undefined;

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new requests; requests in flight finish first');
    const deadline = setTimeout(() => {
      logger.error('requests still in flight after the grace period; exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    deadline.unref();
    void (async () => {
      await app.close();
      await events?.stop();
      await dispatching.stop();
      await reconciling?.stop();
      await purging?.stop();
      await service.close();
      await localEmulator?.close();
      logger.info('stopped');
      process.exit(0);
    })();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  // The CLI's exit codes: 6 for a setup the operator must fix (a bad MASTER_KEY, another store's key, DATABASE_URL).
  const code = exitCodeOf(error);
  process.stderr.write(`${code === EXIT.configuration ? 'Configuration error' : 'Failed to start'}: ${message}\n`);
  process.exit(code);
});
