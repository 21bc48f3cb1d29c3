import type { StripeMode } from '../domain/modes';

// Errors of the application layer: not broken business rules (those are the domain's), but what happened around them.

/**
 * Stripe failed or could not be reached after bounded retries. Nothing about the request was wrong, and a retry with
 * the same Idempotency-Key is safe. `unreachable` (no answer, timeout, rate limit) is told apart from Stripe
 * answering with a server error, so adapters can say 503 or 502.
 */
export class UpstreamUnavailable extends Error {
  readonly code = 'UPSTREAM_UNAVAILABLE';

  /** `busy`: more requests to the app's Stripe account wait their turn than Stripe's rate lets through soon. */
  constructor(
    readonly kind: 'unreachable' | 'server_error' | 'busy',
    readonly detail: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(
      kind === 'busy'
        ? "Too many requests wait for the app's Stripe account right now; retry with the same Idempotency-Key after Retry-After."
        : 'The payment provider could not be reached; retry with the same Idempotency-Key.',
    );
    this.name = 'UpstreamUnavailable';
  }
}

/**
 * Stripe refused the app's own secret key (revoked, wrong, or without permission). Not the caller's request and
 * not a passing outage: nothing is charged, and retrying helps only once an operator has set a valid key.
 */
export class StripeAccountRejected extends Error {
  readonly code = 'STRIPE_ACCOUNT_MISCONFIGURED';

  constructor(readonly mode: StripeMode) {
    super(`Stripe rejected this app's ${mode} secret key; an operator must set a valid key.`);
    this.name = 'StripeAccountRejected';
  }
}

/**
 * The app's Stripe key is stored, but this process cannot open it (sealed under another MASTER_KEY, or altered):
 * the same answer as a key Stripe rejects, since the same person (an operator) must fix it.
 */
export class StripeKeyUnreadable extends StripeAccountRejected {
  constructor(mode: StripeMode) {
    super(mode);
    this.message = `This app's ${mode} Stripe key cannot be opened with this server's MASTER_KEY; an operator must set the key again or fix MASTER_KEY.`;
    this.name = 'StripeKeyUnreadable';
  }
}

/**
 * Stripe, or its SDK before sending anything, refused a request of a charge for a reason that no retry changes and
 * that is not a business outcome (a bug, or a state someone changed by hand). Raised by the billing provider;
 * ChargeInvoice turns it into a final answer.
 */
export class BillingRequestRejected extends Error {
  constructor(readonly detail: string) {
    super(`The payment provider refused a request of this charge: ${detail}`);
    this.name = 'BillingRequestRejected';
  }
}

const ABORTED = {
  stripe_refused: 'Stripe refused a request of this charge for a reason a retry cannot change; nothing was charged.',
  object_gone: 'A Stripe object this charge had created no longer exists, so the charge cannot be finished.',
  reconcile_gave_up: 'The charge could not be finished after repeated attempts; what Stripe held unpaid was voided.',
} as const;
export type AbortReason = keyof typeof ABORTED;

/**
 * The operation ended for good on an error no retry can fix. Like any final answer it is kept with the
 * Idempotency-Key and replayed; `detail` (for the log) says what happened.
 */
export class ChargeAborted extends Error {
  readonly code = 'INTERNAL';

  constructor(
    readonly reason: AbortReason,
    readonly detail = '',
  ) {
    super(`${ABORTED[reason]} It was logged with the request id; retrying with the same Idempotency-Key replays this answer.`);
    this.name = 'ChargeAborted';
  }
}

/** The app sent more requests than its rate allows; `retryAfterSeconds` says when a token is free again. */
export class RateLimited extends Error {
  readonly code = 'RATE_LIMITED';

  constructor(readonly retryAfterSeconds: number) {
    super(`Too many requests for this app; retry after ${retryAfterSeconds} s.`);
    this.name = 'RateLimited';
  }
}

/** The thing an operator named does not exist (an app, a key, a tenant). */
export class NotFound extends Error {
  readonly code = 'NOT_FOUND';

  constructor(what: string, id: string) {
    super(`No ${what} ${id}.`);
    this.name = 'NotFound';
  }
}

/** The id an operator asked for is taken. */
export class AlreadyExists extends Error {
  readonly code = 'ALREADY_EXISTS';

  constructor(what: string, id: string) {
    super(`A ${what} ${id} already exists.`);
    this.name = 'AlreadyExists';
  }
}

/** The request makes no sense in the current state (rotating a revoked key). */
export class NotAllowed extends Error {
  readonly code = 'NOT_ALLOWED';

  constructor(message: string) {
    super(message);
    this.name = 'NotAllowed';
  }
}

/** The machine code of an error class: `CodeOf<typeof Forbidden>` is `'FORBIDDEN'`. */
export type CodeOf<T> = T extends abstract new (...args: never[]) => { readonly code: infer C } ? C : never;

/**
 * A Stripe webhook delivery that cannot be trusted: no secret for that app and mode, a missing, wrong or stale
 * signature, an altered body, or an event of the other mode. Nothing of it is stored. The sender hears one sentence
 * for all of these, so that app ids cannot be probed; `detail` (for the log) says which it was.
 */
export class WebhookRejected extends Error {
  readonly code = 'WEBHOOK_REJECTED';

  constructor(readonly detail: string) {
    super('The webhook delivery was rejected: it cannot be verified as Stripe\'s for this app and mode.');
    this.name = 'WebhookRejected';
  }
}

/** The app has no Stripe key for an event's mode (any more): the event waits until an operator sets one. */
export class StripeAccountMissing extends Error {
  constructor(appId: string, mode: StripeMode) {
    super(`App ${appId} has no Stripe ${mode} key to read the event's objects with.`);
    this.name = 'StripeAccountMissing';
  }
}

/**
 * An event about an invoice one of this service's charges created, before that charge has recorded it: the event
 * is applied once the charge has (it is tried again), so that nothing Stripe said in between is lost.
 */
export class InvoiceNotRecordedYet extends Error {
  constructor(invoiceId: string) {
    super(`Invoice ${invoiceId} belongs to a charge that has not recorded it yet.`);
    this.name = 'InvoiceNotRecordedYet';
  }
}
