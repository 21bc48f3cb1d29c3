import { Writable } from 'node:stream';
import pino from 'pino';
import { buildHttpServer } from '../../../adapters/http/http-server';
import { PrometheusMetrics } from '../../../adapters/http/prometheus-metrics';
import { APP, KEYS, buildWorld } from '../../support/world';

/** The HTTP server in-process (fastify.inject) on the fake-backed application, with its log lines captured. */
export function buildHttpWorld(options: { rateLimit?: { perSecond: number; burst: number }; production?: boolean; graphiql?: boolean } = {}) {
  const metrics = new PrometheusMetrics();
  const world = buildWorld({ ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}), chargeOutcomes: metrics });
  const logs: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => done(void logs.push(String(chunk))) }));
  let ready = true;
  const app = buildHttpServer({
    useCases: world.useCases,
    metrics,
    ready: async () => ready,
    production: options.production ?? false,
    logger,
    graphiql: options.graphiql ? { headers: { 'X-API-KEY': KEYS.write, 'X-API-KEY-TYPE': 'write', 'X-CLIENT-ID': APP }, defaultQuery: '{ apiVersion }' } : undefined,
  });
  return { ...world, app, logs, metrics, setReady: (value: boolean) => (ready = value) };
}

export type HttpWorld = ReturnType<typeof buildHttpWorld>;

export const CREDENTIALS = { 'x-api-key': KEYS.write, 'x-api-key-type': 'write', 'x-client-id': APP };

export const MUTATION = `mutation Charge($tenantId: ID!, $input: CreateStripeInvoiceInput!, $idempotencyKey: String) {
  createStripeInvoice(tenantId: $tenantId, input: $input, idempotencyKey: $idempotencyKey) {
    __typename
    ... on CreateStripeInvoiceSuccess { status message paymentIntent { id status clientSecret object } invoice { id status total tax } subscription { id status } }
    ... on Error { code message }
    ... on ValidationFailedError { issues { path message } }
    ... on PaymentDeclinedError { declineCode invoiceId }
    ... on IdempotencyInProgressError { retryAfterSeconds }
    ... on UpstreamUnavailableError { retryAfterSeconds }
  }
}`;
