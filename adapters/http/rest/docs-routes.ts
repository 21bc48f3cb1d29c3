import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { notFoundResponse } from '../transport-errors';
import { openApiDocument, type ApiExamples, type CredentialHeader } from './openapi';

const ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png'];
const TYPES: Record<string, string> = { '.css': 'text/css', '.js': 'application/javascript', '.png': 'image/png' };

/** Local mode's API reference: the Authorize dialog filled in with the local credentials, and examples that work as they stand. */
export interface DocsSetup {
  /** Each security scheme (named as its header) and the value Swagger UI authorizes with. */
  credentials: Record<CredentialHeader, string>;
  /** The local tenant and ids the operations' examples show. */
  examples: ApiExamples;
}

export interface DocsOptions {
  production: boolean;
  /** Local mode only; production never serves it, whatever it is given. */
  local?: DocsSetup | undefined;
}

/** JSON that can stand inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function page(credentials: Record<string, string> | undefined): string {
  // validatorUrl null: Swagger UI would otherwise send the document's URL to validator.swagger.io for a badge.
  // Local mode: once the document is loaded, each scheme is authorized with its local value, as GraphiQL's headers
  // pane is filled in; the Authorize dialog shows them and can log them out.
  const authorize = credentials
    ? `, onComplete: function () { var credentials = ${scriptJson(credentials)}; ` +
      'Object.keys(credentials).forEach(function (name) { window.ui.preauthorizeApiKey(name, credentials[name]); }); }'
    : '';
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>tenant-stripe-invoices API reference</title>
<link rel="stylesheet" href="/api/v1/docs/swagger-ui.css"><link rel="icon" href="/api/v1/docs/favicon-32x32.png"></head>
<body><div id="reference"></div>
<script src="/api/v1/docs/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#reference', deepLinking: true, validatorUrl: null${authorize} });</script>
</body></html>`;
}

/** The OpenAPI document and a browsable reference page, served from the package (no CDN). */
export function registerDocsRoutes(app: FastifyInstance, options: DocsOptions): void {
  const local = options.production ? undefined : options.local;
  const document = JSON.stringify(openApiDocument({ examples: local?.examples }));
  const html = page(local?.credentials);
  const assetDir = path.dirname(require.resolve('swagger-ui-dist/package.json'));
  // Local mode's page and document hold the local credentials and ids: no cache keeps them past a new DATA_DIR.
  const caching: Record<string, string> = local ? { 'cache-control': 'no-store' } : {};
  app.get('/api/v1/openapi.json', async (_request, reply) => reply.headers(caching).type('application/json').send(document));
  app.get('/api/v1/docs', async (_request, reply) => reply.headers(caching).type('text/html; charset=utf-8').send(html));
  app.get<{ Params: { asset: string } }>('/api/v1/docs/:asset', async (request, reply) => {
    const { asset } = request.params;
    if (!ASSETS.includes(asset)) return reply.code(404).send(notFoundResponse(request.method, request.url));
    reply.header('cache-control', 'public, max-age=86400');
    return reply.type(TYPES[path.extname(asset)]!).send(readFileSync(path.join(assetDir, asset)));
  });
}
