import { inject, injectable } from 'inversify';
import { Unauthenticated } from '../domain/errors';
import type { Caller } from './caller';
import { ApiKeys, Clock } from './ports';

/** What the caller presented: the three credentials headers, any of which may be missing. */
export interface Credentials {
  apiKey?: string | undefined;
  apiKeyType?: string | undefined;
  clientId?: string | undefined;
}

/** Credentials → the calling app and key, or Unauthenticated (401) with the reason kept for logs only. */
@injectable()
export class Authenticate {
  constructor(
    @inject(ApiKeys) private readonly apiKeys: ApiKeys,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(credentials: Credentials): Promise<Caller> {
    const { apiKey, apiKeyType, clientId } = credentials;
    if (!apiKey || !apiKeyType || !clientId) throw new Unauthenticated('missing_credentials');

    const key = await this.apiKeys.findBySecret(apiKey);
    if (!key) throw new Unauthenticated('unknown_key');
    const now = this.clock.now().getTime();
    if (key.revokedAt && key.revokedAt.getTime() <= now) throw new Unauthenticated('revoked_key');
    if (key.expiresAt && key.expiresAt.getTime() <= now) throw new Unauthenticated('expired_key');
    if (clientId.toLowerCase() !== key.appId) throw new Unauthenticated('client_id_mismatch');
    // The stored type is the authority; the header must agree with it.
    if (apiKeyType !== key.type) throw new Unauthenticated('key_type_mismatch');

    return { appId: key.appId, keyId: key.id, keyType: key.type };
  }
}
