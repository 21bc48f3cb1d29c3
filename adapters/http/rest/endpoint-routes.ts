import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { endpointData } from '../../../application/outbound/manage-app-endpoints';
import type { UseCases } from '../../../application/use-cases';
import { callerOf } from '../caller';
import { sendError } from './invoice-routes';

export type EndpointRestUseCases = Pick<UseCases, 'authenticate' | 'rateLimit' | 'appEndpoints'>;

export const ENDPOINTS_PATH = '/api/v1/webhook-endpoints';

const success = (message: string, data: unknown) => ({ success: true, message, error: null, data });

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
    return success('Endpoint created. Keep the secret: it is shown only now.', { endpoint: endpointData(endpoint), secret });
  }));
  app.get(ENDPOINTS_PATH, answering(200, async (endpoints) => {
    const listed = await endpoints.list();
    return success(`${listed.length} endpoint${listed.length === 1 ? '' : 's'}.`, { endpoints: listed.map(endpointData) });
  }));
  app.delete(`${ENDPOINTS_PATH}/:endpointId`, answering<{ endpointId: string }>(200, async (endpoints, request) => {
    await endpoints.remove(request.params.endpointId);
    return success('Endpoint removed; nothing more is sent to it.', { removed: request.params.endpointId });
  }));
}
