import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { registerGraphQLRoute, type GraphiQLSetup } from './graphql/graphql-route';
import type { PrometheusMetrics } from './prometheus-metrics';
import { registerDocsRoutes, type DocsSetup } from './rest/docs-routes';
import { registerInvoiceRoutes, type RestUseCases } from './rest/invoice-routes';
import { registerReadRoutes, type ReadRestUseCases } from './rest/read-routes';
import { registerWebhookRoutes, type WebhookRestUseCases } from './rest/webhook-routes';
import { registerEndpointRoutes, type EndpointRestUseCases } from './rest/endpoint-routes';
import { registerIndexRoutes } from './index-routes';
import { methodsOfRoutes } from './method-not-allowed';
import { answerBadUrl, answerClientError, answerConnect, notFoundResponse, transportErrorResponse } from './transport-errors';

/** Bodies larger than this are refused with 413: the largest valid request (a 5 000-character footer) is far smaller. */
export const BODY_LIMIT = 64 * 1024;

export interface HttpServerOptions {
  useCases: RestUseCases & ReadRestUseCases & WebhookRestUseCases & EndpointRestUseCases;
  metrics: PrometheusMetrics;
  /** Is the database reachable? For /readyz. */
  ready(): Promise<boolean>;
  production: boolean;
  logger: FastifyBaseLogger;
  /** Local mode: GraphiQL's headers pane filled in with the local credentials. */
  graphiql?: GraphiQLSetup | undefined;
  /** Local mode: the API reference authorized with the local credentials, its examples the local tenant and ids. */
  docs?: DocsSetup | undefined;
}

/** One fastify server: REST and GraphQL over the same use case, the API docs, health, readiness and metrics. */
export function buildHttpServer(options: HttpServerOptions): FastifyInstance {
  const app = Fastify({
    loggerInstance: options.logger,
    bodyLimit: BODY_LIMIT,
    genReqId: () => randomUUID(),
    // Idle keep-alive sockets close at shutdown; requests in flight are let finish.
    forceCloseConnections: 'idle',
    // Every answer carries the envelope, also for what never reaches a route.
    clientErrorHandler: answerClientError,
    frameworkErrors: answerBadUrl,
    // No route needs the Host header; a request without one is answered like any other.
    http: { requireHostHeader: false },
  });
  app.removeContentTypeParser('text/plain');
  app.server.on('connect', answerConnect);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // Shutting down: each answer closes its connection, so keep-alive clients let go once their request is done.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    options.metrics.observeHttp(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const response = transportErrorResponse(error, BODY_LIMIT);
    if (response.status >= 500) request.log.error({ err: error }, 'unexpected error');
    if (request.url.startsWith('/graphql')) {
      return reply.code(response.status).send({ errors: [{ message: response.body.error, extensions: { code: response.body.code } }] });
    }
    return reply.code(response.status).send(response.body);
  });
  app.setNotFoundHandler((request, reply) => reply.code(404).send(notFoundResponse(request.method, request.url)));

  const routes = methodsOfRoutes(app);
  registerInvoiceRoutes(app, options.useCases);
  registerReadRoutes(app, options.useCases);
  registerWebhookRoutes(app, options.useCases);
  registerEndpointRoutes(app, options.useCases);
  registerGraphQLRoute(app, options.useCases, { production: options.production, graphiql: options.graphiql });
  registerDocsRoutes(app, { production: options.production, local: options.docs });
  if (!options.production) registerIndexRoutes(app);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const ready = await options.ready().catch(() => false);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'database unreachable' });
  });
  app.get('/metrics', async (_request, reply) => {
    const { contentType, body } = await options.metrics.render();
    return reply.type(contentType).send(body);
  });
  routes.close();
  return app;
}
