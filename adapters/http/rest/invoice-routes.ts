import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UseCases } from '../../../application/use-cases';
import { callerOf } from '../caller';
import { successEnvelope } from './envelopes';
import { REPLAYED_HEADER, errorResponse } from './error-table';

export type RestUseCases = Pick<UseCases, 'authenticate' | 'rateLimit' | 'createStripeInvoice'>;

/** Both paths of the original service answer alike. */
export const INVOICE_PATHS = ['/api/v1/tenants/:tenantId/stripe-invoices', '/v1/tenants/:tenantId/stripe-invoices'];

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function sendError(request: FastifyRequest, reply: FastifyReply, error: unknown) {
  const response = errorResponse(error);
  if (response.body.code === 'INTERNAL') request.log.error({ err: error }, 'unexpected error');
  else if (response.status >= 500) request.log.warn({ code: response.body.code, detail: (error as { detail?: string }).detail }, response.body.error);
  return reply.code(response.status).headers(response.headers).send(response.body);
}

/** `POST …/tenants/:tenantId/stripe-invoices`: the caller, the use case, the envelope. */
export function registerInvoiceRoutes(app: FastifyInstance, useCases: RestUseCases): void {
  const handler = async (request: FastifyRequest<{ Params: { tenantId: string } }>, reply: FastifyReply) => {
    try {
      const caller = await callerOf(request, useCases);
      const result = await useCases.createStripeInvoice.execute({
        caller,
        tenantId: request.params.tenantId,
        input: request.body,
        idempotencyKey: header(request, 'idempotency-key'),
      });
      request.log.info({ appId: caller.appId, tenantId: request.params.tenantId, status: result.status, invoice: result.invoice.id }, 'invoice charged');
      return reply.code(201).headers(result.replayed ? REPLAYED_HEADER : {}).send(successEnvelope(result));
    } catch (error) {
      return sendError(request, reply, error);
    }
  };
  for (const path of INVOICE_PATHS) app.post(path, handler);
}
