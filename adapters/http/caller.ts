import type { FastifyRequest } from 'fastify';
import type { Credentials } from '../../application/authenticate';
import type { Caller } from '../../application/caller';
import type { UseCases } from '../../application/use-cases';

export type CallerUseCases = Pick<UseCases, 'authenticate' | 'rateLimit'>;

/** The contract's credentials headers (lower-case as HTTP servers deliver them; a repeated header's first value). */
export function credentialsOf(request: FastifyRequest): Credentials {
  const first = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return { apiKey: first('x-api-key'), apiKeyType: first('x-api-key-type'), clientId: first('x-client-id') };
}

/**
 * The one place where a request's credentials become a Caller, for REST and GraphQL alike: authenticated, then
 * counted against its app's rate limit. Throws Unauthenticated or RateLimited; each face answers those its way.
 */
export async function callerOf(request: FastifyRequest, useCases: CallerUseCases): Promise<Caller> {
  const caller = await useCases.authenticate.execute(credentialsOf(request));
  useCases.rateLimit.take(caller.appId);
  return caller;
}
