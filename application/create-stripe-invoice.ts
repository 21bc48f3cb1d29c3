import { inject, injectable } from 'inversify';
import {
  Forbidden,
  IdempotencyInProgress,
  IdempotencyKeyReused,
  NoPaymentMethod,
  PaymentDeclined,
  PriceNotUsable,
  TaxRateNotApplicable,
  TenantMismatch,
  ValidationFailed,
} from '../domain/errors';
import { parseIdempotencyKey, parseOperationId, type IdempotencyKey } from '../domain/ids';
import type { InvoiceMode } from '../domain/modes';
import { AttemptCharge } from './attempt-charge';
import type { Caller } from './caller';
import { NOT_STARTED } from './charge-progress';
import { fingerprintOf, invoiceRequestFrom } from './create-stripe-invoice-input';
import { ChargeAborted, StripeAccountRejected, UpstreamUnavailable } from './errors';
import { replayedFailure } from './final-outcome';
import type { InvoiceCharged } from './invoice-charged';
import type { InvoiceRequest } from './invoice-request';
import { LeasePolicy, leaseUntil } from './lease-policy';
import { ChargeOutcomes, Clock, IdempotencyRecords, Ids } from './ports';
import { PrepareCharge, type PreparedCharge } from './prepare-charge';

export interface CreateStripeInvoiceCommand {
  caller: Caller;
  /** The tenant of the path (`/tenants/:tenantId/…`). */
  tenantId: string;
  /** The request body, unparsed: the use case owns its validation. */
  input: unknown;
  idempotencyKey?: string | undefined;
}

/** Every error `execute` throws on purpose; anything else is a bug. Adapters derive their error tables from it. */
export const CREATE_STRIPE_INVOICE_ERRORS = [
  ValidationFailed,
  TenantMismatch,
  Forbidden,
  PriceNotUsable,
  TaxRateNotApplicable,
  PaymentDeclined,
  NoPaymentMethod,
  IdempotencyInProgress,
  IdempotencyKeyReused,
  UpstreamUnavailable,
  StripeAccountRejected,
  ChargeAborted,
] as const;
export type CreateStripeInvoiceError = InstanceType<(typeof CREATE_STRIPE_INVOICE_ERRORS)[number]>;

/** Creates a Stripe invoice (or subscription) for a tenant and charges its default payment method, exactly once. */
@injectable()
export class CreateStripeInvoice {
  constructor(
    @inject(PrepareCharge) private readonly prepare: PrepareCharge,
    @inject(AttemptCharge) private readonly attempt: AttemptCharge,
    @inject(IdempotencyRecords) private readonly records: IdempotencyRecords,
    @inject(LeasePolicy) private readonly lease: LeasePolicy,
    @inject(ChargeOutcomes) private readonly outcomes: ChargeOutcomes,
    @inject(Clock) private readonly clock: Clock,
    @inject(Ids) private readonly ids: Ids,
  ) {}

  async execute(command: CreateStripeInvoiceCommand): Promise<InvoiceCharged> {
    let mode: InvoiceMode | 'unknown' = 'unknown';
    try {
      if (command.caller.keyType !== 'write') throw new Forbidden('read_key', 'Creating invoices needs a write key.');
      const request = invoiceRequestFrom(command.tenantId, command.input);
      mode = request.mode;
      const key = command.idempotencyKey === undefined ? null : parseIdempotencyKey(command.idempotencyKey);
      const result = key === null ? await this.chargeOnce(command.caller, request) : await this.chargeUnderKey(command.caller, request, key);
      this.outcomes.count(result.status, mode);
      return result;
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      this.outcomes.count(typeof code === 'string' ? code : 'INTERNAL', mode);
      throw error;
    }
  }

  /** Without a key: a new operation, whose own retries still use derived Stripe keys. */
  private async chargeOnce(caller: Caller, request: InvoiceRequest): Promise<InvoiceCharged> {
    const operationId = parseOperationId(this.ids.next());
    const prepared = await this.prepare.execute(caller, request);
    return this.attempt.execute({ ...prepared, caller, operationId, lease: null, resumeFrom: NOT_STARTED, takenOver: false });
  }

  private async chargeUnderKey(caller: Caller, request: InvoiceRequest, key: IdempotencyKey): Promise<InvoiceCharged> {
    const now = this.clock.now();
    const proposedOperationId = parseOperationId(this.ids.next());
    const claim = await this.records.claim({
      appId: caller.appId,
      key,
      fingerprint: fingerprintOf(request, caller.keyType),
      stored: { request, caller },
      operationId: proposedOperationId,
      leaseToken: this.ids.next(),
      now,
      leaseUntil: leaseUntil(this.lease, now),
    });
    if (claim.status === 'mismatch') throw new IdempotencyKeyReused();
    if (claim.status === 'in_progress') throw new IdempotencyInProgress(1);
    if (claim.status === 'completed') {
      if (claim.outcome.kind === 'charged') return { ...claim.outcome.result, replayed: true };
      throw replayedFailure(claim.outcome.failure);
    }

    let prepared: PreparedCharge;
    try {
      prepared = await this.prepare.execute(caller, request);
    } catch (error) {
      // Nothing reached Stripe: forget the key so that a corrected setup can be retried under it.
      await this.records.release(caller.appId, key, claim.leaseToken, { forget: true });
      throw error;
    }
    return this.attempt.execute({
      ...prepared,
      caller,
      operationId: claim.operationId,
      lease: { key, token: claim.leaseToken },
      resumeFrom: claim.progress,
      takenOver: claim.operationId !== proposedOperationId,
    });
  }
}
