import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createYoga, maskError, type Plugin } from 'graphql-yoga';
import { RateLimited } from '../../../application/errors';
import { callerOf, type CallerUseCases } from '../caller';
import type { GraphQLContext, GraphQLUseCases } from './builder';
import { boundedNesting } from './nesting-bound';
import { onePaymentPerRequest } from './one-payment-rule';
import { schema } from './schema';

/** Local mode's GraphiQL: its headers pane filled in with the local credentials, and the operations it opens with. */
export interface GraphiQLSetup {
  headers: Record<string, string>;
  defaultQuery?: string | undefined;
}

export interface GraphQLOptions {
  production: boolean;
  /** Local mode: GraphiQL at GET /graphql, its headers pane filled in with these (the local credentials). */
  graphiql?: GraphiQLSetup | undefined;
}

const oneMutation: Plugin = { onValidate: ({ addValidationRule }) => addValidationRule(onePaymentPerRequest) };

/** The logger of the request being answered, so that an error GraphQL masks is still logged with its request id. */
const requestLog = new AsyncLocalStorage<FastifyBaseLogger>();

/** Yoga's masking, plus a log line for every error it masks: the caller sees "Unexpected error.", operators see why. */
function maskAndLog(error: unknown, message: string, isDev?: boolean): Error {
  const masked = maskError(error, message, isDev);
  if (masked !== error) requestLog.getStore()?.error({ err: (error as { originalError?: unknown }).originalError ?? error }, 'unexpected error');
  return masked;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A transport-level GraphQL error (before any operation ran), in the shape GraphQL clients read. */
function transportError(reply: FastifyReply, status: number, code: string, message: string, headers: Record<string, string> = {}) {
  return reply.code(status).headers(headers).type('application/json').send({ errors: [{ message, extensions: { code } }] });
}

/** `/graphql`: GraphiQL (local mode only) on GET for browsers; every operation needs the credentials headers. */
export function registerGraphQLRoute(app: FastifyInstance, useCases: GraphQLUseCases & CallerUseCases, options: GraphQLOptions): void {
  const graphiql = !options.production && options.graphiql !== undefined;
  const yoga = createYoga<{ req: FastifyRequest; reply: FastifyReply } & Partial<GraphQLContext>>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    maskedErrors: { maskError: maskAndLog },
    batching: false,
    graphiql: graphiql
      ? { title: 'tenant-stripe-invoices', headers: JSON.stringify(options.graphiql?.headers, null, 2), defaultQuery: options.graphiql?.defaultQuery }
      : false,
    // GraphiQL (an 18 MB package) is loaded only where it is served: local mode.
    ...(graphiql ? { renderGraphiQL: (require('@graphql-yoga/render-graphiql') as typeof import('@graphql-yoga/render-graphiql')).renderGraphiQL } : {}),
    logging: false,
    plugins: [
      useCSRFPrevention({ requestHeaders: ['x-api-key'] }),
      boundedNesting(32),
      oneMutation,
      maxDepthPlugin({ n: 8 }),
      maxAliasesPlugin({ n: 5 }),
      costLimitPlugin({ maxCost: 2000 }),
      maxTokensPlugin({ n: 2000 }),
      ...(options.production ? [useDisableIntrospection(), blockFieldSuggestionsPlugin()] : []),
    ],
  });

  app.route({
    url: '/graphql',
    method: ['GET', 'POST', 'OPTIONS'],
    handler: async (request, reply) => {
      const browsing = graphiql && request.method === 'GET' && (header(request, 'accept') ?? '').includes('text/html');
      let context: GraphQLContext | undefined;
      if (!browsing && request.method !== 'OPTIONS') {
        try {
          context = { caller: await callerOf(request, useCases), useCases };
        } catch (error) {
          if (error instanceof RateLimited) {
            return transportError(reply, 429, error.code, error.message, { 'retry-after': String(error.retryAfterSeconds) });
          }
          const code = (error as { code?: unknown }).code;
          if (code === 'UNAUTHENTICATED') return transportError(reply, 401, code, (error as Error).message);
          throw error;
        }
      }
      const response = await requestLog.run(request.log, () => yoga.handleNodeRequestAndResponse(request, reply, { req: request, reply, ...context }));
      response.headers.forEach((value, key) => void reply.header(key, value));
      reply.status(response.status);
      reply.send(response.body);
      return reply;
    },
  });
}
