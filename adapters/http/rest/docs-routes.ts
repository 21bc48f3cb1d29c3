import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { notFoundResponse } from '../transport-errors';
import { openApiDocument } from './openapi';

const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png'];
const TYPES: Record<string, string> = { '.css': 'text/css', '.js': 'application/javascript', '.png': 'image/png' };

const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>tenant-stripe-invoices API reference</title>
<link rel="stylesheet" href="/api/v1/docs/swagger-ui.css"><link rel="icon" href="/api/v1/docs/favicon-32x32.png"></head>
<body><div id="reference"></div>
<script src="/api/v1/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#reference', deepLinking: true });</script>
</body></html>`;

/** The OpenAPI document and a browsable reference page, served from the package (no CDN). */
export function registerDocsRoutes(app: FastifyInstance): void {
  const document = JSON.stringify(openApiDocument());
  const assetDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  app.get('/api/v1/openapi.json', async (_request, reply) => reply.type('application/json').send(document));
  app.get('/api/v1/docs', async (_request, reply) => reply.type('text/html; charset=utf-8').send(PAGE));
  app.get<{ Params: { asset: string } }>('/api/v1/docs/:asset', async (request, reply) => {
    const { asset } = request.params;
    if (!ASSETS.includes(asset)) return reply.code(404).send(notFoundResponse(request.method, request.url));
    reply.header('cache-control', 'public, max-age=86400');
    return reply.type(TYPES[path.extname(asset)]!).send(readFileSync(path.join(assetDir, asset)));
  });
}
