import type Stripe from 'stripe';
import { stripeIdempotencyKey, type ChargeResult, type StripeAccount, type StripeStep } from '../../application/billing-provider';
import type { OperationId } from '../../domain/ids';
import { withRetries, type CallObserver, type RetryPolicy } from './retry-policy';
import { isNotFound, translateStripeError } from './stripe-error-table';
import { billedInvoice, defaultPayment, paymentIntentView } from './stripe-views';

/** Whose Stripe writes these are: the account's key, and the operation whose id derives the idempotency keys. */
export interface Operation {
  account: StripeAccount;
  operationId: OperationId;
}

export type WithOptions<T> = (options: Stripe.RequestOptions) => Promise<T>;

export const PAYMENT_INTENT = 'payments.data.payment.payment_intent';

/** How every Stripe request is sent: the app's key, a derived idempotency key on writes, bounded retries, one error table. */
export class StripeCalls {
  constructor(
    readonly stripe: Stripe,
    private readonly retry: RetryPolicy,
    private readonly observe: CallObserver | undefined,
  ) {}

  /** A POST under the operation's derived idempotency key, retried within bounds; errors as Stripe raised them. */
  write<T>(operation: Operation, step: StripeStep, call: WithOptions<T>): Promise<T> {
    return this.send(step, { apiKey: operation.account.secretKey.reveal(), idempotencyKey: stripeIdempotencyKey(operation.operationId, step) }, call);
  }

  /** A write whose failures come back as the errors the use case reacts to. */
  async translated<T>(operation: Operation, step: StripeStep, call: WithOptions<T>): Promise<T> {
    try {
      return await this.write(operation, step, call);
    } catch (error) {
      throw translateStripeError(error, operation.account.mode);
    }
  }

  /** Cleanup after a failed charge: worth trying, never worth hiding the failure the caller must hear. */
  async quietly(operation: Operation, step: StripeStep, call: WithOptions<unknown>): Promise<void> {
    try {
      await this.write(operation, step, call);
    } catch {
      // Invoices are created with auto_advance off, so an open one left behind is never charged by Stripe on its own.
    }
  }

  async read<T>(account: StripeAccount, step: string, call: WithOptions<T>): Promise<T> {
    try {
      return await this.send(step, { apiKey: account.secretKey.reveal() }, call);
    } catch (error) {
      throw translateStripeError(error, account.mode);
    }
  }

  /** A read where "no such object" is an answer (undefined), not an error. */
  async lookup<S, T>(account: StripeAccount, step: string, call: WithOptions<S>, map: (object: S) => T): Promise<T | undefined> {
    try {
      return map(await this.send(step, { apiKey: account.secretKey.reveal() }, call));
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw translateStripeError(error, account.mode);
    }
  }

  private send<T>(step: string, options: Stripe.RequestOptions, call: WithOptions<T>): Promise<T> {
    return withRetries(step, () => withoutCallSiteStack(() => call(options)), this.retry, this.observe);
  }

  retrieveInvoice(account: StripeAccount, invoiceId: string): Promise<Stripe.Invoice> {
    return this.read(account, 'invoice.retrieve', (options) => this.stripe.invoices.retrieve(invoiceId, { expand: [PAYMENT_INTENT] }, options));
  }

  voidQuietly(operation: Operation, invoiceId: string): Promise<void> {
    return this.quietly(operation, 'invoice.void', (options) => this.stripe.invoices.voidInvoice(invoiceId, {}, options));
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

/** An invoice (with its PaymentIntent expanded) as the port's result. */
export function chargeResult(invoice: Stripe.Invoice, subscription: ChargeResult['subscription']): ChargeResult {
  const intent = defaultPayment(invoice)?.payment.payment_intent;
  return {
    paymentIntent: intent && typeof intent === 'object' ? paymentIntentView(intent) : null,
    invoice: billedInvoice(invoice),
    subscription,
  };
}
