import { z } from 'zod';
import { APP_EVENT_TYPES } from '../../../application/outbound/app-events';
import { endpointData } from '../../../application/outbound/manage-app-endpoints';
import { ENDPOINT_STATUSES, type AppEndpoint } from '../../../application/outbound/outbound-ports';
import { envelope, envelopeSchema } from './envelopes';

export function createdEndpointEnvelope(endpoint: AppEndpoint, secret: string) {
  return envelope('Endpoint created. Keep the secret: it is shown only now.', { endpoint: endpointData(endpoint), secret });
}

export function endpointListEnvelope(endpoints: AppEndpoint[]) {
  return envelope(`${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'}.`, { endpoints: endpoints.map(endpointData) });
}

export function removedEndpointEnvelope(endpointId: string) {
  return envelope('Endpoint removed; nothing more is sent to it.', { removed: endpointId });
}

// The same shapes as zod schemas, for the OpenAPI document.
const EndpointSchema = z.object({
  id: z.string().describe('we_…'),
  url: z.string(),
  events: z.array(z.enum(APP_EVENT_TYPES)),
  status: z.enum(ENDPOINT_STATUSES),
  disabledReason: z.string().nullable().describe('gone (it answered 410), failing (five days of failures), operator.'),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
});

export const CreatedEndpointEnvelopeSchema = envelopeSchema(
  z.object({ endpoint: EndpointSchema, secret: z.string().describe('whsec_…, for verifying the webhook-signature header; shown only in this answer.') }),
);
export const EndpointListEnvelopeSchema = envelopeSchema(z.object({ endpoints: z.array(EndpointSchema) }));
export const RemovedEndpointEnvelopeSchema = envelopeSchema(z.object({ removed: z.string() }));
