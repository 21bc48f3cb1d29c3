import { inject, injectable } from 'inversify';
import { z } from 'zod';
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
import {
  parseIdempotencyKey,
  parseOperationId,
  parsePriceId,
  parseTaxRateId,
  parseTenantId,
  parseUserId,
} from '../domain/ids';
import { MAX_QUANTITY } from '../domain/invoice';
import { INVOICE_MODES } from '../domain/modes';
import type { Caller } from './caller';
import { NOT_STARTED } from './billing-provider';
import { ChargeInvoice, LeasePolicy } from './charge-invoice';
import type { InvoiceRequest } from './invoice-request';
import { rebuildFailure } from './final-outcome';
import type { InvoiceCharged } from './invoice-charged';
import { Clock, IdempotencyRecords, Ids } from './ports';
import { PrepareCharge, type PreparedCharge } from './prepare-charge';

const STRIPE_ID = /^[A-Za-z0-9_]+$/;

/** The request body of contract §1: strict, so an unknown field is an error rather than silently ignored. */
export const CreateStripeInvoiceInput = z.strictObject({
  price: z.string().startsWith('price_', 'must be a Stripe price id (price_…)').max(255).regex(STRIPE_ID),
  taxRate: z.string().startsWith('txr_', 'must be a Stripe tax rate id (txr_…)').max(255).regex(STRIPE_ID),
  mode: z.enum(INVOICE_MODES as ['payment', 'subscription']),
  quantity: z.number().int().min(1).max(MAX_QUANTITY),
  tenantId: z.guid().optional(),
  userId: z.guid(),
  test: z.boolean().default(false),
  // The domain counts characters and checks the 5 000 limit; this bound only keeps absurd bodies out.
  footer: z.string().max(40_000).optional(),
});
export type CreateStripeInvoiceInput = z.input<typeof CreateStripeInvoiceInput>;

export interface CreateStripeInvoiceCommand {
  caller: Caller;
  /** The tenant of the path (`/tenants/:tenantId/…`). */
  tenantId: string;
  /** The request body, unparsed: the use case owns its validation. */
  input: unknown;
  idempotencyKey?: string | undefined;
}

/** Every error `execute` throws on purpose; anything else is a bug or an infrastructure failure. */
export type CreateStripeInvoiceError =
  | ValidationFailed
  | TenantMismatch
  | Forbidden
  | PriceNotUsable
  | TaxRateNotApplicable
  | PaymentDeclined
  | NoPaymentMethod
  | IdempotencyInProgress
  | IdempotencyKeyReused;

/** Creates a Stripe invoice (or subscription) for a tenant and charges its default payment method, exactly once. */
@injectable()
export class CreateStripeInvoice {
  constructor(
    @inject(PrepareCharge) private readonly prepare: PrepareCharge,
    @inject(ChargeInvoice) private readonly charge: ChargeInvoice,
    @inject(IdempotencyRecords) private readonly records: IdempotencyRecords,
    @inject(LeasePolicy) private readonly lease: LeasePolicy,
    @inject(Clock) private readonly clock: Clock,
    @inject(Ids) private readonly ids: Ids,
  ) {}

  async execute(command: CreateStripeInvoiceCommand): Promise<InvoiceCharged> {
    const { caller } = command;
    if (caller.keyType !== 'write') throw new Forbidden('read_key', 'Creating invoices needs a write key.');
    const tenantId = parseTenantId(command.tenantId);
    const input = parseInput(command.input);
    if (input.tenantId !== undefined && input.tenantId.toLowerCase() !== tenantId) throw new TenantMismatch();
    const request: InvoiceRequest = {
      tenantId,
      userId: parseUserId(input.userId),
      priceId: parsePriceId(input.price),
      taxRateId: parseTaxRateId(input.taxRate),
      mode: input.mode,
      quantity: input.quantity,
      test: input.test,
      footer: input.footer,
    };
    const idempotencyKey =
      command.idempotencyKey === undefined ? null : parseIdempotencyKey(command.idempotencyKey);

    if (idempotencyKey === null) {
      const operationId = parseOperationId(this.ids.next());
      const prepared = await this.prepare.execute(caller, request);
      return this.charge.execute({ ...prepared, caller, operationId, lease: null, resumeFrom: NOT_STARTED, takenOver: false });
    }

    const now = this.clock.now();
    const proposedOperationId = parseOperationId(this.ids.next());
    const claim = await this.records.claim({
      appId: caller.appId,
      key: idempotencyKey,
      fingerprint: fingerprintOf(request, caller.keyType),
      stored: { request, caller },
      operationId: proposedOperationId,
      leaseToken: this.ids.next(),
      now,
      leaseUntil: new Date(now.getTime() + this.lease.milliseconds),
    });
    if (claim.status === 'mismatch') throw new IdempotencyKeyReused();
    if (claim.status === 'in_progress') throw new IdempotencyInProgress(1);
    if (claim.status === 'completed') {
      if (claim.outcome.kind === 'charged') return claim.outcome.result;
      throw rebuildFailure(claim.outcome.failure);
    }

    let prepared: PreparedCharge;
    try {
      prepared = await this.prepare.execute(caller, request);
    } catch (error) {
      // Nothing reached Stripe: forget the key so that a corrected setup can be retried under it.
      await this.records.release(caller.appId, idempotencyKey, claim.leaseToken, { forget: true });
      throw error;
    }
    return this.charge.execute({
      ...prepared,
      caller,
      operationId: claim.operationId,
      lease: { key: idempotencyKey, token: claim.leaseToken },
      resumeFrom: claim.progress,
      takenOver: claim.operationId !== proposedOperationId,
    });
  }
}

function parseInput(raw: unknown): z.output<typeof CreateStripeInvoiceInput> {
  const parsed = CreateStripeInvoiceInput.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  const summary = issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
  throw new ValidationFailed('invalid_request', `The request body is not valid: ${summary}.`, issues);
}

/** The request as one canonical text: same tenant, body (defaults applied) and key type ⇔ same fingerprint. */
export function fingerprintOf(request: InvoiceRequest, keyType: string): string {
  const fields: Record<string, unknown> = { ...request, keyType };
  return JSON.stringify(Object.keys(fields).sort().map((name) => [name, fields[name] ?? null]));
}
