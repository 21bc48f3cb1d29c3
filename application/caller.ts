import type { ApiKeyId, AppId } from '../domain/ids';

export const API_KEY_TYPES = ['read', 'write'] as const;
/** A read key reads; a write key also creates and changes. */
export type ApiKeyType = (typeof API_KEY_TYPES)[number];

/** An authenticated caller: the app, and the key it used. */
export interface Caller {
  appId: AppId;
  keyId: ApiKeyId;
  keyType: ApiKeyType;
}
