import type { FastifyInstance, FastifyRequest } from 'fastify';
import { envelope } from './rest/envelopes';

const LINKS = [
  { rel: 'docs', href: '/api/v1/docs', title: 'API reference (Swagger UI)' },
  { rel: 'openapi', href: '/api/v1/openapi.json', title: 'OpenAPI 3.1 document' },
  { rel: 'graphql', href: '/graphql', title: 'GraphiQL' },
  { rel: 'health', href: '/healthz', title: 'Health' },
  { rel: 'ready', href: '/readyz', title: 'Readiness' },
  { rel: 'metrics', href: '/metrics', title: 'Prometheus metrics' },
] as const;

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>tenant-stripe-invoices (local mode)</title></head>
<body><h1>tenant-stripe-invoices</h1><p>Local mode. The credentials are in the data folder's local-credentials.json.</p>
<ul>${LINKS.map((link) => `<li><a href="${link.href}">${link.title}</a> <code>${link.href}</code></li>`).join('')}</ul>
</body></html>`;

const wantsHtml = (request: FastifyRequest) => /\btext\/html\b/.test(request.headers.accept ?? '');

/** Local mode's `/` and `/api/v1`: where to go from here, as a page for browsers and as the envelope for the rest. */
export function registerIndexRoutes(app: FastifyInstance): void {
  for (const path of ['/', '/api/v1']) {
    app.get(path, async (request, reply) => {
      if (wantsHtml(request)) return reply.type('text/html; charset=utf-8').send(PAGE);
      return envelope('tenant-stripe-invoices, local mode: the links below.', { links: LINKS });
    });
  }
}
