/** Stripe's error object, sent as `{ "error": … }` with the HTTP status Stripe uses for it. */
export interface StripeErrorBody {
  type: 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  payment_intent?: unknown;
  doc_url?: string;
}

export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    /** Stripe keeps an error under its idempotency key only once the request started executing. */
    readonly replayable = true,
  ) {
    super(body.message);
  }
}

export function invalidRequest(message: string, extra: Partial<StripeErrorBody> = {}, status = 400): EmulatorError {
  return new EmulatorError(status, { type: 'invalid_request_error', message, ...extra });
}

export function noSuch(kind: string, id: string, param?: string): EmulatorError {
  return invalidRequest(`No such ${kind}: '${id}'`, { code: 'resource_missing', ...(param ? { param } : {}) }, 404);
}
