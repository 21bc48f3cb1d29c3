import type { ErrorResponse } from './error-table';

/** Errors from before the route runs (body parsing, routing), in the same envelope as every other error. */
export function transportErrorResponse(error: { statusCode?: number; code?: string }, bodyLimit: number): ErrorResponse {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  const messages: Record<string, string> = {
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'The Content-Type must be application/json.',
    FST_ERR_CTP_BODY_TOO_LARGE: `The request body is larger than ${bodyLimit} bytes.`,
    FST_ERR_CTP_EMPTY_JSON_BODY: 'The request body is empty; send a JSON object.',
  };
  const message =
    messages[error.code ?? ''] ??
    (status === 400 ? 'The request body is not valid JSON.' : status < 500 ? 'The request was not understood.' : 'An internal error occurred; it was logged with the request id.');
  return {
    status: error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 415 : status,
    headers: {},
    body: { success: false, error: message, code: status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL', message: null, data: null },
  };
}

export function notFoundResponse(method: string, url: string) {
  return { success: false, error: `No route ${method} ${url.split('?')[0]}.`, code: 'NOT_FOUND', message: null, data: null };
}
