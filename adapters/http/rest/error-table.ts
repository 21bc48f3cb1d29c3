import type { CodeOf } from '../../../application/errors';
import { RateLimited, UpstreamUnavailable } from '../../../application/errors';
import { isReplayed } from '../../../application/final-outcome';
import type { CREATE_STRIPE_INVOICE_ERRORS } from '../../../application/create-stripe-invoice';
import type { PREVIEW_STRIPE_INVOICE_ERRORS } from '../../../application/preview-stripe-invoice';
import type { RECEIVE_STRIPE_EVENT_ERRORS } from '../../../application/lifecycle/receive-stripe-event';
import type { MANAGE_APP_ENDPOINTS_ERRORS } from '../../../application/outbound/manage-app-endpoints';
import type { READ_INVOICES_ERRORS } from '../../../application/read-invoices';
import { IdempotencyInProgress, PaymentDeclined, ValidationFailed, type Unauthenticated } from '../../../domain/errors';

type RestErrorCode =
  | CodeOf<(typeof CREATE_STRIPE_INVOICE_ERRORS)[number]>
  | CodeOf<(typeof PREVIEW_STRIPE_INVOICE_ERRORS)[number]>
  | CodeOf<(typeof READ_INVOICES_ERRORS)[number]>
  | CodeOf<(typeof RECEIVE_STRIPE_EVENT_ERRORS)[number]>
  | CodeOf<(typeof MANAGE_APP_ENDPOINTS_ERRORS)[number]>
  | CodeOf<typeof Unauthenticated>
  | CodeOf<typeof RateLimited>
  | 'INTERNAL';

/**
 * The one error table of the REST adapter: every code the use cases can throw (their exported error lists), plus a
 * bug's INTERNAL. A use case that gains an error without a status here does not compile.
 */
export const STATUS_OF = {
  VALIDATION_FAILED: 400,
  TENANT_MISMATCH: 400,
  PRICE_NOT_USABLE: 400,
  TAX_RATE_NOT_APPLICABLE: 400,
  WEBHOOK_REJECTED: 400,
  UNAUTHENTICATED: 401,
  PAYMENT_DECLINED: 402,
  NO_PAYMENT_METHOD: 402,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_IN_PROGRESS: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // Stripe could not be reached (503), or answered with server errors (502, below); both are safe to retry.
  UPSTREAM_UNAVAILABLE: 503,
  STRIPE_ACCOUNT_MISCONFIGURED: 502,
} satisfies Record<RestErrorCode, number>;

export type ErrorCode = keyof typeof STATUS_OF;

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: { success: false; error: string; code: ErrorCode; message: null; data: null; details?: Record<string, unknown> };
}

/** Stripe's own marker of an answer given again for an idempotency key. */
export const REPLAYED_HEADER = { 'idempotent-replayed': 'true' } as const;

/** Any thrown value → status, headers and the seed's error envelope. Unknown errors say only that they happened. */
export function errorResponse(error: unknown): ErrorResponse {
  const known = codeOf(error);
  const code = known ?? 'INTERNAL';
  const status = error instanceof UpstreamUnavailable && error.kind === 'server_error' ? 502 : STATUS_OF[code];
  const message = known ? (error as Error).message : 'An internal error occurred; it was logged with the request id.';
  const body: ErrorResponse['body'] = { success: false, error: message, code, message: null, data: null };
  const details = detailsOf(error);
  if (details) body.details = details;
  const retryAfter = retryAfterOf(error);
  return {
    status,
    headers: { ...(retryAfter ? { 'retry-after': String(retryAfter) } : {}), ...(isReplayed(error) ? REPLAYED_HEADER : {}) },
    body,
  };
}

function codeOf(error: unknown): ErrorCode | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && code in STATUS_OF) return code as ErrorCode;
  return undefined;
}

function detailsOf(error: unknown): Record<string, unknown> | undefined {
  if (error instanceof ValidationFailed && error.issues.length > 0) return { issues: error.issues };
  if (error instanceof PaymentDeclined) return { declineCode: error.declineCode ?? null, invoiceId: error.invoiceId ?? null, subscriptionId: error.subscriptionId ?? null };
  return undefined;
}

function retryAfterOf(error: unknown): number | undefined {
  if (error instanceof IdempotencyInProgress || error instanceof RateLimited || error instanceof UpstreamUnavailable) {
    return error.retryAfterSeconds;
  }
  return undefined;
}
