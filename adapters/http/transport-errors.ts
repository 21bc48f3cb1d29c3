import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The codes the server answers with before any use case runs: the request was not something a route could take. */
export type TransportCode = 'VALIDATION_FAILED' | 'NOT_FOUND' | 'METHOD_NOT_ALLOWED' | 'INTERNAL';

export interface TransportErrorBody {
  success: false;
  error: string;
  code: TransportCode;
  message: null;
  data: null;
}

function envelope(code: TransportCode, error: string): TransportErrorBody {
  return { success: false, error, code, message: null, data: null };
}

/** A path as it may be repeated back: never more than 100 characters of what the caller sent. */
function shown(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.length > 100 ? `${path.slice(0, 100)}…` : path;
}

/** Errors from before the route runs (body parsing), in the same envelope as every other error. */
export function transportErrorResponse(error: { statusCode?: number; code?: string }, bodyLimit: number) {
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
    body: envelope(status < 500 ? 'VALIDATION_FAILED' : 'INTERNAL', message),
  };
}

export function notFoundResponse(method: string, url: string): TransportErrorBody {
  return envelope('NOT_FOUND', `No route ${method} ${shown(url)}.`);
}

export function methodNotAllowedResponse(method: string, url: string, allowed: readonly string[]): TransportErrorBody {
  return envelope('METHOD_NOT_ALLOWED', `${shown(url)} does not take ${method}; it takes ${allowed.join(', ')}.`);
}

/** A URL the router refused: a malformed percent-encoding, or a path segment longer than any id. */
export function answerBadUrl(error: { code?: string }, _request: FastifyRequest, reply: FastifyReply) {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    return reply.code(414).send(envelope('VALIDATION_FAILED', 'A path segment of the URL is too long.'));
  }
  return reply.code(400).send(envelope('VALIDATION_FAILED', 'The URL is not valid (a malformed percent-encoding, say).'));
}

const CLIENT_ERRORS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request took too long to arrive.'],
};

/**
 * What Node's HTTP parser refuses before fastify sees a request (a CR or LF inside a header, a bad chunk size, an
 * unknown method, oversized headers): answered in the same envelope, on a connection that is then closed.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return void socket.destroy();
  const [status, reason, message] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'The request is not valid HTTP.'];
  answerOnSocket(socket, status, reason, envelope('VALIDATION_FAILED', message));
}

/** A CONNECT request (a proxy tunnel), which Node hands over before any route: this server tunnels nothing. */
export function answerConnect(_request: unknown, socket: Socket): void {
  answerOnSocket(socket, 405, 'Method Not Allowed', envelope('METHOD_NOT_ALLOWED', 'This server takes no CONNECT requests.'));
}

function answerOnSocket(socket: Socket, status: number, reason: string, body: TransportErrorBody): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
      `Connection: close\r\n\r\n${text}`,
  );
}
