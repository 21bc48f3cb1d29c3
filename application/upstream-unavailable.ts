/**
 * Stripe failed or could not be reached after bounded retries. Not a domain error: nothing about the request was
 * wrong, and a retry with the same Idempotency-Key is safe. `unreachable` (no answer, timeout, rate limit) is
 * told apart from Stripe answering with a server error, so adapters can say 503 or 502.
 */
export class UpstreamUnavailable extends Error {
  readonly code = 'UPSTREAM_UNAVAILABLE';

  constructor(
    readonly kind: 'unreachable' | 'server_error',
    readonly detail: string,
    readonly retryAfterSeconds = 1,
  ) {
    super('The payment provider could not be reached; retry with the same Idempotency-Key.');
    this.name = 'UpstreamUnavailable';
  }
}
