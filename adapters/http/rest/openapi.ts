import { z } from 'zod';
import { CreateStripeInvoiceInput } from '../../../application/create-stripe-invoice-input';
import { ErrorEnvelopeSchema, SuccessEnvelopeSchema } from './envelopes';
import { STATUS_OF } from './error-table';

const schema = (type: z.ZodType, io: 'input' | 'output' = 'output') => z.toJSONSchema(type, { target: 'draft-2020-12', io, unrepresentable: 'any' });

function codesFor(status: number): string[] {
  const codes = Object.entries(STATUS_OF).filter(([, value]) => value === status).map(([code]) => code);
  if (status === 502) codes.push('UPSTREAM_UNAVAILABLE');
  return codes;
}

const ERROR_STATUSES: Record<number, string> = {
  400: 'Malformed JSON, a schema violation, a tenant mismatch, or a price or tax rate that cannot be used',
  401: 'Missing, unknown, revoked or expired key; client id not the key\'s app; key type header not the key\'s type',
  402: 'The card was declined, or the tenant has no default payment method',
  403: 'A read key; an unknown tenant or another app\'s tenant (same answer); a user not in the tenant; no Stripe customer or key for the mode',
  409: 'A request with the same Idempotency-Key is still running (Retry-After)',
  413: 'The body is too large',
  415: 'The Content-Type is not application/json',
  422: 'The Idempotency-Key was used with a different request',
  429: "The app's rate limit (Retry-After)",
  500: 'A bug, logged with the request id',
  502: "Stripe answered with server errors after retries (safe to retry with the same Idempotency-Key), or rejected the app's Stripe key",
  503: 'Stripe could not be reached after retries (safe to retry with the same Idempotency-Key)',
};

const header = (name: string, description: string, required: boolean, example?: string) => ({
  name, in: 'header', required, description, schema: { type: 'string' }, ...(example ? { example } : {}),
});

/** The OpenAPI 3.1 document of the REST API, generated from the zod schemas the code validates with. */
export function openApiDocument(serverUrl?: string) {
  const errorBody = schema(ErrorEnvelopeSchema);
  const operation = {
    summary: "Create an invoice for a tenant and charge its default payment method",
    description:
      'Creates a one-off invoice (mode=payment) or a subscription (mode=subscription) in Stripe for the tenant, charges the ' +
      "tenant's default payment method, and returns the PaymentIntent. A card that needs 3-D Secure is still a 201: the " +
      'PaymentIntent is requires_action. Send an Idempotency-Key to make retries safe: the same key replays the first answer.',
    parameters: [
      { name: 'tenantId', in: 'path', required: true, description: 'The tenant (UUID).', schema: { type: 'string', format: 'uuid' } },
      header('X-API-KEY', "The app's API key (tsinv_…). Never use it in a browser.", true),
      header('X-API-KEY-TYPE', 'The type of the key: write for this endpoint.', true, 'write'),
      header('X-CLIENT-ID', "The app's id (UUID).", true),
      header('Idempotency-Key', '1–255 printable ASCII characters; retries with the same key never charge twice.', false),
    ],
    requestBody: { required: true, content: { 'application/json': { schema: schema(CreateStripeInvoiceInput, 'input') } } },
    responses: {
      201: { description: 'Invoice created and charged (or waiting for 3-D Secure)', content: { 'application/json': { schema: schema(SuccessEnvelopeSchema) } } },
      ...Object.fromEntries(
        Object.entries(ERROR_STATUSES).map(([status, description]) => {
          const codes = codesFor(Number(status));
          const suffix = codes.length > 0 ? ` (code: ${codes.join(', ')})` : ' (code: VALIDATION_FAILED)';
          return [status, { description: `${description}${suffix}`, content: { 'application/json': { schema: errorBody } } }];
        }),
      ),
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'tenant-stripe-invoices',
      version: '1.0.0',
      description: "Bill a SaaS app's tenants through Stripe: one call creates the invoice and charges it, exactly once.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths: {
      '/api/v1/tenants/{tenantId}/stripe-invoices': { post: { operationId: 'createStripeInvoice', tags: ['invoices'], ...operation } },
      '/v1/tenants/{tenantId}/stripe-invoices': { post: { operationId: 'createStripeInvoiceV1', tags: ['invoices'], ...operation } },
    },
  };
}
