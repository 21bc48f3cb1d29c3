import type { ServiceIdentifier } from 'inversify';
import type { ApiKeyId, AppId, CustomerId, OperationId, TenantId, UserId } from '../domain/ids';
import type { StripeMode } from '../domain/modes';
import type { CountryCode } from '../domain/tenant';
import type { ApiKeyType } from './caller';
import type { LedgerRow, StoredApiKey } from './ports';
import type { Secret } from './secret';

// The ports the operator use cases need: each a role beside the charge path's lookups in ports.ts.

export interface App {
  id: AppId;
  name: string;
  createdAt: Date;
}

export interface Apps {
  create(app: App): Promise<void>;
  find(id: AppId): Promise<App | undefined>;
  list(): Promise<App[]>;
}
export const Apps: ServiceIdentifier<Apps> = Symbol('Apps');

export interface ApiKeyRecord extends StoredApiKey {
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Issues and manages API keys. The plaintext exists only in `issue`'s answer; the store keeps a digest. */
export interface ApiKeyRegistry {
  issue(key: { id: ApiKeyId; appId: AppId; type: ApiKeyType; createdAt: Date; expiresAt: Date | null }): Promise<string>;
  find(id: ApiKeyId): Promise<ApiKeyRecord | undefined>;
  list(appId: AppId): Promise<ApiKeyRecord[]>;
  revoke(id: ApiKeyId, at: Date): Promise<void>;
  /** Brings the expiry forward to `at` (never later than an expiry already set). */
  expire(id: ApiKeyId, at: Date): Promise<void>;
}
export const ApiKeyRegistry: ServiceIdentifier<ApiKeyRegistry> = Symbol('ApiKeyRegistry');

export interface StripeKeyStatus {
  mode: StripeMode;
  /** The key's prefix and last four characters (`sk_test_…4242`): enough to recognise it, useless to use it. */
  hint: string;
  updatedAt: Date;
  /** Whether this process's master key opens it (false: sealed under another MASTER_KEY, or altered). */
  readable: boolean;
}

/** Writes each app's Stripe secret keys; the store keeps them encrypted. */
export interface StripeAccountSettings {
  set(appId: AppId, mode: StripeMode, secretKey: Secret, at: Date): Promise<void>;
  status(appId: AppId): Promise<StripeKeyStatus[]>;
}
export const StripeAccountSettings: ServiceIdentifier<StripeAccountSettings> = Symbol('StripeAccountSettings');

export interface TenantRecord {
  id: TenantId;
  appId: AppId;
  billingCountry: CountryCode | null;
  customers: Partial<Record<StripeMode, CustomerId>>;
  members: UserId[];
  createdAt: Date;
}

export interface TenantDirectory {
  /** Creates the tenant with its members, all or nothing. False when the id is already taken. */
  create(tenant: TenantRecord): Promise<boolean>;
  get(id: TenantId): Promise<TenantRecord | undefined>;
  list(appId: AppId): Promise<TenantRecord[]>;
  addMember(id: TenantId, userId: UserId): Promise<void>;
  removeMember(id: TenantId, userId: UserId): Promise<boolean>;
}
export const TenantDirectory: ServiceIdentifier<TenantDirectory> = Symbol('TenantDirectory');

export interface LedgerFilter {
  appId?: AppId | undefined;
  tenantId?: TenantId | undefined;
  operationId?: OperationId | undefined;
  limit: number;
}

/** Reads the charge ledger, newest first. */
export interface LedgerReader {
  list(filter: LedgerFilter): Promise<LedgerRow[]>;
  /** Attempts still `pending` or `unknown` that started before `startedBefore`, oldest first: outcomes to find out. */
  unsettled(startedBefore: Date, limit: number): Promise<LedgerRow[]>;
}
export const LedgerReader: ServiceIdentifier<LedgerReader> = Symbol('LedgerReader');
