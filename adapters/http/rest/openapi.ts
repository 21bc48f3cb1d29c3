import { z } from 'zod';
import { CreateStripeInvoiceInput } from '../../../application/create-stripe-invoice-input';
import { InvoiceListQuery } from '../../../application/read-invoices';
import { NewEndpoint } from '../../../application/outbound/manage-app-endpoints';
import { CreatedEndpointEnvelopeSchema, EndpointListEnvelopeSchema, RemovedEndpointEnvelopeSchema } from './endpoint-views';
import { ErrorEnvelopeSchema, SuccessEnvelopeSchema } from './envelopes';
import { STATUS_OF } from './error-table';
import { InvoiceEnvelopeSchema, ListEnvelopeSchema, PreviewEnvelopeSchema } from './invoice-views';

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
  403: 'A read key where a write key is needed; an unknown tenant or another app\'s tenant (same answer); a user not in the tenant; no Stripe customer or key for the mode',
  404: 'An unknown invoice or webhook endpoint, or another tenant\'s or app\'s (same answer)',
  409: 'A request with the same Idempotency-Key is still running (Retry-After)',
  413: 'The body is too large',
  415: 'The Content-Type is not application/json',
  422: 'The Idempotency-Key was used with a different request',
  429: "The app's rate limit (Retry-After)",
  500: 'A bug, or an operation ended for good by an error no retry can fix; logged with the request id',
  502: "Stripe answered with server errors after retries (safe to retry with the same Idempotency-Key), or rejected the app's Stripe key",
  503: 'Stripe could not be reached after retries, or too many requests wait for the Stripe account (safe to retry with the same Idempotency-Key)',
};

const header = (name: string, description: string, required: boolean) => ({ name, in: 'header', required, description, schema: { type: 'string' } });

/** The three credential headers, as API-key security schemes (Swagger UI's Authorize dialog), named as the headers. */
export type CredentialHeader = 'X-API-KEY' | 'X-API-KEY-TYPE' | 'X-CLIENT-ID';

const SECURITY_SCHEMES: Record<CredentialHeader, { type: 'apiKey'; in: 'header'; name: CredentialHeader; description: string }> = {
  'X-API-KEY': { type: 'apiKey', in: 'header', name: 'X-API-KEY', description: "The app's API key (tsinv_…), from the CLI's `keys create`. Never use it in a browser app." },
  'X-API-KEY-TYPE': {
    type: 'apiKey', in: 'header', name: 'X-API-KEY-TYPE',
    description: "The key's type, `write` or `read`: creating an invoice or changing webhook endpoints needs a write key; reading takes either.",
  },
  'X-CLIENT-ID': { type: 'apiKey', in: 'header', name: 'X-CLIENT-ID', description: "The app's id (UUID), the app the key belongs to." },
};

/** Every operation an app calls sends all three headers. */
const CREDENTIALS = [{ 'X-API-KEY': [], 'X-API-KEY-TYPE': [], 'X-CLIENT-ID': [] }];
const WRITE_KEY = 'Needs a write key (X-API-KEY-TYPE: write).';
const EITHER_KEY = 'Takes a read or a write key.';

/** What the operations' examples show: static ones in production; local mode's own tenant and ids. */
export interface ApiExamples {
  tenantId: string;
  /** A body the create (and the preview) accepts. */
  createBody: CreateStripeInvoiceInput;
}

/** Production's examples: the shape of real ids, nothing that works anywhere. */
export const STATIC_EXAMPLES: ApiExamples = {
  tenantId: '0f5c2d7e-8b3a-4c1e-9d6f-2a4b6c8d0e1f',
  createBody: {
    price: 'price_1QxExampleOneTime',
    taxRate: 'txr_1QxExampleVat19',
    mode: 'payment',
    quantity: 1,
    userId: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    test: true,
  },
};

const tenant = (examples: ApiExamples) => ({
  name: 'tenantId', in: 'path', required: true, description: 'The tenant (UUID).', schema: { type: 'string', format: 'uuid' }, example: examples.tenantId,
});

function responses(success: Record<number, { description: string; schema: z.ZodType }>, errors: number[]) {
  const errorBody = schema(ErrorEnvelopeSchema);
  return {
    ...Object.fromEntries(
      Object.entries(success).map(([status, answer]) => [status, { description: answer.description, content: { 'application/json': { schema: schema(answer.schema) } } }]),
    ),
    ...Object.fromEntries(
      errors.map((status) => {
        const codes = codesFor(status);
        const suffix = codes.length > 0 ? ` (code: ${codes.join(', ')})` : ' (code: VALIDATION_FAILED)';
        return [status, { description: `${ERROR_STATUSES[status]}${suffix}`, content: { 'application/json': { schema: errorBody } } }];
      }),
    ),
  };
}

const READ_ERRORS = [400, 401, 403, 429, 500];

function operations(examples: ApiExamples) {
  const TENANT = tenant(examples);
  const createBody = { schema: schema(CreateStripeInvoiceInput, 'input'), example: examples.createBody };
  const create = {
    summary: 'Create an invoice for a tenant and charge its default payment method',
    description:
      'Creates a one-off invoice (mode=payment) or a subscription (mode=subscription) in Stripe for the tenant, charges the ' +
      "tenant's default payment method, and returns the PaymentIntent. A card that needs 3-D Secure is still a 201: the " +
      'PaymentIntent is requires_action. Send an Idempotency-Key to make retries safe: the same key replays the first answer. ' +
      WRITE_KEY,
    security: CREDENTIALS,
    parameters: [TENANT, header('Idempotency-Key', '1–255 printable ASCII characters; retries with the same key never charge twice.', false)],
    requestBody: { required: true, content: { 'application/json': createBody } },
    responses: responses({ 201: { description: 'Invoice created and charged (or waiting for 3-D Secure)', schema: SuccessEnvelopeSchema } }, [400, 401, 402, 403, 409, 413, 415, 422, 429, 500, 502, 503]),
  };
  const queryParameters = Object.entries((schema(InvoiceListQuery, 'input') as { properties: Record<string, { description?: string }> }).properties).map(
    ([name, property]) => ({ name, in: 'query', required: false, description: property.description, schema: property }),
  );
  const list = {
    summary: "List a tenant's invoices, newest first",
    description: "Served from the service's own store. Stripe-style cursors: startingAfter (the next page) or endingBefore (the page before). " + EITHER_KEY,
    security: CREDENTIALS,
    parameters: [TENANT, ...queryParameters],
    responses: responses({ 200: { description: 'One page of invoices', schema: ListEnvelopeSchema } }, READ_ERRORS),
  };
  const get = {
    summary: 'One invoice of a tenant',
    description: EITHER_KEY,
    security: CREDENTIALS,
    parameters: [TENANT, { name: 'invoiceId', in: 'path', required: true, description: 'The Stripe invoice id (in_…).', schema: { type: 'string' }, example: 'in_1QxExample' }],
    responses: responses({ 200: { description: 'The invoice', schema: InvoiceEnvelopeSchema } }, [400, 401, 403, 404, 429, 500]),
  };
  const preview = {
    summary: 'Preview the invoice a create would charge',
    description: 'The same body as the create; the same checks and the same totals as the charge. Creates nothing at Stripe and stores nothing. ' + EITHER_KEY,
    security: CREDENTIALS,
    parameters: [TENANT],
    requestBody: { required: true, content: { 'application/json': createBody } },
    responses: responses({ 200: { description: 'What the charge would be', schema: PreviewEnvelopeSchema } }, [400, 401, 403, 413, 415, 429, 500, 502, 503]),
  };
  const webhook = {
    summary: "Receive Stripe's webhook deliveries for an app and mode",
    description:
      "For Stripe, not for apps: `stripe connect-webhooks` registers this URL at Stripe. The raw body is verified with the app's " +
      'signing secret for the mode (Stripe-Signature, at most 5 minutes old), stored once per event id, and applied from the inbox.',
    // Stripe signs these; they carry no app credentials.
    security: [],
    parameters: [
      { name: 'appId', in: 'path', required: true, description: "The app's id (UUID).", schema: { type: 'string' } },
      { name: 'mode', in: 'path', required: true, description: 'live or test.', schema: { type: 'string', enum: ['live', 'test'] } },
      header('Stripe-Signature', 't=<unix time>,v1=<HMAC-SHA256>, as Stripe signs.', true),
    ],
    requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', description: 'A Stripe Event, exactly as Stripe sent it.' } } } },
    responses: responses({ 200: { description: 'Stored (or already stored: duplicate)', schema: WebhookEnvelopeSchema } }, [400, 413, 500]),
  };
  const addEndpoint = {
    summary: 'Add an endpoint for the events the service sends the app',
    description:
      'Events are signed as Standard Webhooks (webhook-id, webhook-timestamp, webhook-signature) with the secret in this answer, ' +
      'shown only here. In production the URL must be https and must not resolve to a private, loopback or link-local address. ' +
      WRITE_KEY,
    security: CREDENTIALS,
    requestBody: {
      required: true,
      content: { 'application/json': { schema: schema(NewEndpoint, 'input'), example: { url: 'https://app.example.com/hooks/invoices', events: ['invoice.paid'] } } },
    },
    responses: responses({ 201: { description: 'The endpoint, and its secret', schema: CreatedEndpointEnvelopeSchema } }, [400, 401, 403, 413, 415, 429, 500]),
  };
  const listEndpoints = {
    summary: "The app's endpoints (never their secrets)",
    description: EITHER_KEY,
    security: CREDENTIALS,
    responses: responses({ 200: { description: 'The endpoints', schema: EndpointListEnvelopeSchema } }, [401, 429, 500]),
  };
  const removeEndpoint = {
    summary: 'Remove an endpoint; nothing more is sent to it',
    description: WRITE_KEY,
    security: CREDENTIALS,
    parameters: [{ name: 'endpointId', in: 'path', required: true, description: 'we_…', schema: { type: 'string' } }],
    responses: responses({ 200: { description: 'Removed', schema: RemovedEndpointEnvelopeSchema } }, [401, 403, 404, 429, 500]),
  };
  return { create, list, get, preview, webhook, addEndpoint, listEndpoints, removeEndpoint };
}

const WebhookEnvelopeSchema = z.object({
  success: z.literal(true),
  message: z.string(),
  error: z.null(),
  data: z.object({ eventId: z.string(), duplicate: z.boolean().describe('The event was received before; nothing changed.') }),
});

/**
 * The OpenAPI 3.1 document of the REST API, generated from the zod schemas the code validates with. Its examples are
 * static unless given (local mode gives its own tenant and ids, so that "Try it out" works as it stands).
 */
export function openApiDocument(options: { serverUrl?: string | undefined; examples?: ApiExamples | undefined } = {}) {
  const { serverUrl, examples = STATIC_EXAMPLES } = options;
  const { create, list, get, preview, webhook, addEndpoint, listEndpoints, removeEndpoint } = operations(examples);
  const paths = Object.fromEntries(
    [['/api/v1', ''], ['/v1', 'V1']].flatMap(([prefix, suffix]) => [
      [`${prefix}/tenants/{tenantId}/stripe-invoices`, {
        post: { operationId: `createStripeInvoice${suffix}`, tags: ['invoices'], ...create },
        get: { operationId: `listStripeInvoices${suffix}`, tags: ['invoices'], ...list },
      }],
      [`${prefix}/tenants/{tenantId}/stripe-invoices/{invoiceId}`, { get: { operationId: `getStripeInvoice${suffix}`, tags: ['invoices'], ...get } }],
      [`${prefix}/tenants/{tenantId}/stripe-invoices/preview`, { post: { operationId: `previewStripeInvoice${suffix}`, tags: ['invoices'], ...preview } }],
    ]),
  );
  paths['/api/v1/stripe/webhooks/{appId}/{mode}'] = { post: { operationId: 'receiveStripeWebhook', tags: ['stripe'], ...webhook } };
  paths['/api/v1/webhook-endpoints'] = {
    post: { operationId: 'addWebhookEndpoint', tags: ['events'], ...addEndpoint },
    get: { operationId: 'listWebhookEndpoints', tags: ['events'], ...listEndpoints },
  };
  paths['/api/v1/webhook-endpoints/{endpointId}'] = { delete: { operationId: 'removeWebhookEndpoint', tags: ['events'], ...removeEndpoint } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'tenant-stripe-invoices',
      version: '1.0.0',
      description: "Bill a SaaS app's tenants through Stripe: one call creates the invoice and charges it, exactly once; read them back.",
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    paths,
    components: { securitySchemes: SECURITY_SCHEMES },
  };
}
