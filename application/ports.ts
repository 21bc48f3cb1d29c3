import type { ServiceIdentifier } from 'inversify';
import type { ApiKeyId, AppId, IdempotencyKey, OperationId, TenantId, UserId } from '../domain/ids';
import type { InvoiceMode, StripeMode } from '../domain/modes';
import type { Tenant } from '../domain/tenant';
import type { ApiKeyType, Caller } from './caller';
import type { StripeAccount } from './billing-provider';
import type { ChargeProgress } from './charge-progress';
import type { FinalOutcome } from './final-outcome';
import type { InvoiceRecord } from './invoice-record';
import type { InvoiceRequest } from './invoice-request';

export interface StoredApiKey {
  id: ApiKeyId;
  appId: AppId;
  type: ApiKeyType;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

/** Finds the key a caller presented. Implementations compare digests, never plaintext. */
export interface ApiKeys {
  findBySecret(presented: string): Promise<StoredApiKey | undefined>;
}
export const ApiKeys: ServiceIdentifier<ApiKeys> = Symbol('ApiKeys');

export interface Tenants {
  find(id: TenantId): Promise<Tenant | undefined>;
}
export const Tenants: ServiceIdentifier<Tenants> = Symbol('Tenants');

/** Each app's Stripe secret key per mode. */
export interface StripeAccounts {
  find(appId: AppId, mode: StripeMode): Promise<StripeAccount | undefined>;
  /** Every app and mode that has a key. */
  configured(): Promise<{ appId: AppId; mode: StripeMode }[]>;
}
export const StripeAccounts: ServiceIdentifier<StripeAccounts> = Symbol('StripeAccounts');

/** The request as kept with its key, so that an operation nobody retries can still be finished (reconciliation). */
export interface StoredRequest {
  request: InvoiceRequest;
  caller: Caller;
}

export interface IdempotencyClaim {
  appId: AppId;
  key: IdempotencyKey;
  /** Canonical text of the request; a retry must present the same. */
  fingerprint: string;
  stored: StoredRequest;
  /** Used only if this claim creates the record; a taken-over record keeps its first operation id. */
  operationId: OperationId;
  /** Identifies this holder: only the holder of the current lease may checkpoint, complete or release the record. */
  leaseToken: string;
  now: Date;
  leaseUntil: Date;
}

export type ClaimResult =
  /** `progress`: where earlier holders got to (NOT_STARTED for a new record); the charge resumes from there. */
  | { status: 'claimed'; operationId: OperationId; leaseToken: string; progress: ChargeProgress }
  | { status: 'in_progress'; leaseUntil: Date }
  | { status: 'mismatch' }
  | { status: 'completed'; outcome: FinalOutcome };

/** An operation whose lease ran out before it finished: its holder crashed, and nobody has retried it since. */
export interface AbandonedOperation {
  appId: AppId;
  key: IdempotencyKey;
  fingerprint: string;
  stored: StoredRequest;
  operationId: OperationId;
  progress: ChargeProgress;
}

/**
 * Idempotency-Key records, scoped per app. `claim` is one arbitrated step: of concurrent claims of a free key exactly
 * one wins. A record whose lease has expired, or was released, can be claimed again by the same request; the
 * previous holder's lease token then no longer counts.
 */
export interface IdempotencyRecords {
  claim(claim: IdempotencyClaim): Promise<ClaimResult>;
  /** Records a recovery point and renews the lease. False when this holder no longer holds the lease. */
  checkpoint(appId: AppId, key: IdempotencyKey, leaseToken: string, progress: ChargeProgress, leaseUntil: Date): Promise<boolean>;
  /** Stores the key's final answer, if `completion`'s lease token still holds it. */
  complete(completion: KeyCompletion): Promise<void>;
  /** Gives the lease up. `forget` deletes the record: nothing reached Stripe, so nothing needs to be remembered. */
  release(appId: AppId, key: IdempotencyKey, leaseToken: string, options: { forget: boolean }): Promise<void>;
  /**
   * Unfinished records whose lease ran out before `now`, taken in turns across apps (each app's oldest first, then
   * each app's second oldest, …), so that one app's many cannot crowd out another's few.
   */
  abandoned(now: Date, limit: number): Promise<AbandonedOperation[]>;
}
export const IdempotencyRecords: ServiceIdentifier<IdempotencyRecords> = Symbol('IdempotencyRecords');

/**
 * `rejected`: Stripe refused the request before charging (a price or customer it would not use). `unknown`: Stripe
 * could not be asked or did not answer; the charge may or may not have happened. Reconciliation settles what stayed
 * unknown: `superseded` when a later attempt of the same operation carried on, `abandoned` when nothing was charged
 * and what Stripe held was voided. `aborted`: ended for good by an error no retry can fix (ChargeAborted).
 */
export const LEDGER_OUTCOMES = [
  'pending',
  'succeeded',
  'requires_action',
  'processing',
  'nothing_to_charge',
  'declined',
  'no_payment_method',
  'rejected',
  'unknown',
  'abandoned',
  'superseded',
  'aborted',
] as const;
export type LedgerOutcome = (typeof LEDGER_OUTCOMES)[number];

export interface LedgerEntry {
  id: string;
  operationId: OperationId;
  appId: AppId;
  apiKeyId: ApiKeyId;
  tenantId: TenantId;
  userId: UserId;
  mode: InvoiceMode;
  livemode: boolean;
  currency: string;
  subtotal: number;
  tax: number;
  total: number;
  idempotencyKey: IdempotencyKey | null;
  startedAt: Date;
}

export interface LedgerSettlement {
  outcome: Exclude<LedgerOutcome, 'pending'>;
  stripeInvoiceId: string | null;
  stripePaymentIntentId: string | null;
  stripeSubscriptionId: string | null;
  declineCode: string | null;
  finishedAt: Date;
}

/** A ledger row as stored: the entry, and its settlement fields (null until settled). */
export interface LedgerRow extends LedgerEntry {
  outcome: LedgerOutcome;
  stripeInvoiceId: string | null;
  stripePaymentIntentId: string | null;
  stripeSubscriptionId: string | null;
  declineCode: string | null;
  finishedAt: Date | null;
}

/** The final answer of an Idempotency-Key, stored by the holder of its lease (a lost lease stores nothing). */
export interface KeyCompletion {
  appId: AppId;
  key: IdempotencyKey;
  leaseToken: string;
  outcome: FinalOutcome;
}

/**
 * One row per charge attempt, opened before Stripe is called and settled with what Stripe answered; and one row per
 * invoice the attempts created. The settlement, the invoice it reached and the key's final answer commit together:
 * a charge's answer is never stored without its ledger row and invoice (a holder whose lease was taken over settles
 * its row, and the answer is left to the new holder).
 */
export interface ChargeLedger {
  begin(entry: LedgerEntry): Promise<void>;
  settle(id: string, settlement: LedgerSettlement, invoice?: InvoiceRecord, completion?: KeyCompletion): Promise<void>;
}
export const ChargeLedger: ServiceIdentifier<ChargeLedger> = Symbol('ChargeLedger');

export interface Clock {
  now(): Date;
}
export const Clock: ServiceIdentifier<Clock> = Symbol('Clock');

/** New unique ids (UUIDs) for operations and ledger rows. */
export interface Ids {
  next(): string;
}
export const Ids: ServiceIdentifier<Ids> = Symbol('Ids');

/** Told how each create-invoice call ended (a charge status or an error code) and in which mode, for metrics. */
export interface ChargeOutcomes {
  count(outcome: string, mode: InvoiceMode | 'unknown'): void;
}
export const ChargeOutcomes: ServiceIdentifier<ChargeOutcomes> = Symbol('ChargeOutcomes');
