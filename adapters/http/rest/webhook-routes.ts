import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { WebhookRejected } from '../../../application/errors';
import type { UseCases } from '../../../application/use-cases';
import { sendError } from './invoice-routes';

export type WebhookRestUseCases = Pick<UseCases, 'receiveStripeEvent'>;

/** Stripe's event payloads can be far larger than any API request (an invoice with many lines). */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

export const WEBHOOK_PATH = '/api/v1/stripe/webhooks/:appId/:mode';

type WebhookRequest = FastifyRequest<{ Params: { appId: string; mode: string }; Body: string }>;

/**
 * `POST /api/v1/stripe/webhooks/:appId/:mode`: Stripe's deliveries for one app and mode. The body stays the raw
 * text the signature was computed over (its own scope, so no JSON parser touches it); 200 once the event is in
 * the inbox, 400 WEBHOOK_REJECTED for anything that cannot be trusted.
 */
export function registerWebhookRoutes(app: FastifyInstance, useCases: WebhookRestUseCases): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));
    scope.post(WEBHOOK_PATH, async (request: WebhookRequest, reply: FastifyReply) => {
      const signature = request.headers['stripe-signature'];
      try {
        const received = await useCases.receiveStripeEvent.execute({
          appId: request.params.appId,
          mode: request.params.mode,
          payload: typeof request.body === 'string' ? request.body : '',
          signature: Array.isArray(signature) ? signature[0] : signature,
        });
        request.log.info({ appId: request.params.appId, mode: request.params.mode, ...received }, 'stripe event received');
        const message = received.duplicate ? 'Event already received.' : 'Event received.';
        return reply.code(200).send({ success: true, message, error: null, data: received });
      } catch (error) {
        if (error instanceof WebhookRejected) request.log.warn({ appId: request.params.appId, mode: request.params.mode, detail: error.detail }, 'stripe webhook rejected');
        return sendError(request, reply, error);
      }
    });
  });
}
