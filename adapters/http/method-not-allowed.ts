import type { FastifyInstance, HTTPMethods } from 'fastify';
import { methodNotAllowedResponse } from './transport-errors';

const METHODS: HTTPMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/**
 * Collects the routes registered from here on; `close()` then answers every other method on their paths with 405
 * and an Allow header, instead of a 404 that would suggest the path does not exist.
 */
export function methodsOfRoutes(app: FastifyInstance): { close(): void } {
  const allowed = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = allowed.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    allowed.set(route.url, methods);
  });
  return {
    close() {
      for (const [url, methods] of [...allowed]) {
        const missing = METHODS.filter((method) => !methods.has(method));
        const allow = [...methods].filter((method) => method !== 'HEAD');
        if (missing.length === 0) continue;
        app.route({
          method: missing,
          url,
          handler: async (request, reply) =>
            reply.code(405).header('allow', allow.join(', ')).send(methodNotAllowedResponse(request.method, request.url, allow)),
        });
      }
    },
  };
}
