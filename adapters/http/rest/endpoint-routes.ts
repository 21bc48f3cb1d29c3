import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UseCases } from '../../../application/use-cases';
import { callerOf } from '../caller';
import { createdEndpointEnvelope, endpointListEnvelope, removedEndpointEnvelope } from './endpoint-views';
import { sendError } from './invoice-routes';

export type EndpointRestUseCases = Pick<UseCases, 'authenticate' | 'rateLimit' | 'appEndpoints'>;

export const ENDPOINTS_PATH = '/api/v1/webhook-endpoints';

/**
 * The app's own endpoints for the events the service sends it: a read key lists them, a write key makes (the secret
 * is in that answer only) and removes them.
 */
export function registerEndpointRoutes(app: FastifyInstance, useCases: EndpointRestUseCases): void {
  const answering = <P>(status: number, run: (endpoints: ReturnType<UseCases['appEndpoints']['forCaller']>, request: FastifyRequest<{ Params: P }>) => Promise<unknown>) =>
    async (request: FastifyRequest<{ Params: P }>, reply: FastifyReply) => {
      try {
        const caller = await callerOf(request, useCases);
        return reply.code(status).send(await run(useCases.appEndpoints.forCaller(caller), request));
      } catch (error) {
        return sendError(request, reply, error);
      }
    };
  app.post(ENDPOINTS_PATH, answering(201, async (endpoints, request) => {
    const { endpoint, secret } = await endpoints.create(request.body);
    return createdEndpointEnvelope(endpoint, secret);
  }));
  app.get(ENDPOINTS_PATH, answering(200, async (endpoints) => endpointListEnvelope(await endpoints.list())));
  app.delete(`${ENDPOINTS_PATH}/:endpointId`, answering<{ endpointId: string }>(200, async (endpoints, request) => {
    await endpoints.remove(request.params.endpointId);
    return removedEndpointEnvelope(request.params.endpointId);
  }));
}
