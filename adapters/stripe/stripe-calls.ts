import Stripe from 'stripe';
import { BillingRequestRejected } from '../../application/errors';
import type { BillingOperation, StripeAccount } from '../../application/billing-provider';
import { withRetries, type CallObserver, type RetryPolicy } from './retry-policy';
import { isNotFound, translateStripeError } from './stripe-error-table';
import { UNPACED, type StripePacer } from './stripe-pacing';

/** The Stripe writes of a charge, each with its own idempotency key. */
export const STRIPE_STEPS = [
  'invoice.create',
  'invoice.add_lines',
  'invoice.finalize',
  'invoice.pay',
  'invoice.pay_after_finalize',
  'invoice.void',
  'invoice.delete',
  'subscription.create',
  'subscription.cancel',
] as const;
export type StripeStep = (typeof STRIPE_STEPS)[number];

/**
 * `<operation id>:<step>`: the same operation always sends Stripe the same key for the same step. A charge that
 * started over (its draft vanished) marks its keys with the restart, so that Stripe does not replay the first start.
 */
export function stripeIdempotencyKey(operation: Pick<BillingOperation, 'operationId' | 'restarts'>, step: StripeStep): string {
  return operation.restarts === 0 ? `${operation.operationId}:${step}` : `${operation.operationId}:restart-${operation.restarts}:${step}`;
}

export type WithOptions<T> = (options: Stripe.RequestOptions) => Promise<T>;

export const PAYMENT_INTENT = 'payments.data.payment.payment_intent';

/** How every Stripe request is sent: the app's key, a derived idempotency key on writes, bounded retries, one error table. */
export class StripeCalls {
  constructor(
    readonly stripe: Stripe,
    private readonly retry: RetryPolicy,
    private readonly observe: CallObserver | undefined,
    private readonly pacer: StripePacer = UNPACED,
  ) {}

  /** A POST under the operation's derived idempotency key, retried within bounds; errors as Stripe raised them. */
  write<T>(operation: BillingOperation, step: StripeStep, call: WithOptions<T>): Promise<T> {
    return this.send(step, operation.account, { idempotencyKey: stripeIdempotencyKey(operation, step) }, call);
  }

  /** A write whose failures come back as the errors the use case reacts to. */
  async translated<T>(operation: BillingOperation, step: StripeStep, call: WithOptions<T>): Promise<T> {
    try {
      return await this.write(operation, step, call);
    } catch (error) {
      throw translateStripeError(error, operation.account.mode);
    }
  }

  /** A write outside a charge (a webhook endpoint), idempotent under the key given, retried within bounds. */
  async writeOnce<T>(account: StripeAccount, step: string, idempotencyKey: string, call: WithOptions<T>): Promise<T> {
    try {
      return await this.send(step, account, { idempotencyKey }, call);
    } catch (error) {
      throw translateStripeError(error, account.mode);
    }
  }

  async read<T>(account: StripeAccount, step: string, call: WithOptions<T>): Promise<T> {
    try {
      return await this.send(step, account, {}, call);
    } catch (error) {
      throw translateStripeError(error, account.mode);
    }
  }

  /** A read where "no such object" is an answer (undefined), not an error. */
  async lookup<T>(account: StripeAccount, step: string, call: WithOptions<T>): Promise<T | undefined> {
    try {
      return await this.send(step, account, {}, call);
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translateStripeError(error, account.mode);
    }
  }

  /** The invoice with its payment's PaymentIntent expanded; undefined when Stripe has no such invoice. */
  findInvoice(account: StripeAccount, invoiceId: string): Promise<Stripe.Invoice | undefined> {
    return this.lookup(account, 'invoice.retrieve', (options) => this.stripe.invoices.retrieve(invoiceId, { expand: [PAYMENT_INTENT] }, options));
  }

  private send<T>(step: string, account: StripeAccount, extra: Stripe.RequestOptions, call: WithOptions<T>): Promise<T> {
    const options = { ...extra, apiKey: account.secretKey.reveal() };
    const pace = () => this.pacer.take(account);
    return withRetries(step, () => sentOrRefused(step, () => withoutCallSiteStack(() => call(options))), this.retry, this.observe, Math.random, pace);
  }
}

/**
 * Every failure of a request is Stripe's answer (a StripeError, connection failures included). Anything else is
 * the SDK refusing to send it at all (a URIError for text it cannot encode, say): no retry sends it either.
 */
async function sentOrRefused<T>(step: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if (error instanceof Stripe.errors.StripeError) throw error;
    throw new BillingRequestRejected(`${step} could not be sent: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
}

/**
 * Starts an SDK request without the call-site stack the SDK formats for every request (a visible share of each
 * charge's CPU): its errors are translated by the error table and never shown with a stack.
 */
function withoutCallSiteStack<T>(start: () => Promise<T>): Promise<T> {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return start();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
