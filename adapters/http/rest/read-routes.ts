import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UseCases } from '../../../application/use-cases';
import { callerOf } from '../caller';
import { INVOICE_PATHS, sendError } from './invoice-routes';
import { invoiceEnvelope, listEnvelope, previewEnvelope } from './invoice-views';

export type ReadRestUseCases = Pick<UseCases, 'authenticate' | 'rateLimit' | 'invoices' | 'previewStripeInvoice'>;

type TenantRequest<P = object> = FastifyRequest<{ Params: { tenantId: string } & P }>;

/** A route that answers 200 with what `run` returns, or the error envelope. */
function answering<P>(useCases: ReadRestUseCases, run: (request: TenantRequest<P>, caller: Awaited<ReturnType<typeof callerOf>>) => Promise<unknown>) {
  return async (request: TenantRequest<P>, reply: FastifyReply) => {
    try {
      return reply.code(200).send(await run(request, await callerOf(request, useCases)));
    } catch (error) {
      return sendError(request, reply, error);
    }
  };
}

/** The read side, for read and write keys: list a tenant's invoices, get one, preview a charge. */
export function registerReadRoutes(app: FastifyInstance, useCases: ReadRestUseCases): void {
  for (const path of INVOICE_PATHS) {
    app.get(path, answering(useCases, async (request, caller) => listEnvelope(await useCases.invoices.list(caller, request.params.tenantId, request.query))));
    app.get(
      `${path}/:invoiceId`,
      answering<{ invoiceId: string }>(useCases, async (request, caller) =>
        invoiceEnvelope(await useCases.invoices.get(caller, request.params.tenantId, request.params.invoiceId)),
      ),
    );
    app.post(
      `${path}/preview`,
      answering(useCases, async (request, caller) =>
        previewEnvelope(await useCases.previewStripeInvoice.execute({ caller, tenantId: request.params.tenantId, input: request.body })),
      ),
    );
  }
}
