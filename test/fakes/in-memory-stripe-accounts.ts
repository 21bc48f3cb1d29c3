import type { StripeAccountSettings, StripeKeyStatus } from '../../application/admin-ports';
import type { StripeAccount } from '../../application/billing-provider';
import type { StripeAccounts } from '../../application/ports';
import { Secret } from '../../application/secret';
import type { AppId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';

export class InMemoryStripeAccounts implements StripeAccounts, StripeAccountSettings {
  private readonly keys = new Map<string, { secret: string; updatedAt: Date }>();

  /** Seeds a key directly (tests of the use case). */
  setKey(appId: AppId, mode: StripeMode, secretKey: string): void {
    this.keys.set(`${appId}/${mode}`, { secret: secretKey, updatedAt: new Date(0) });
  }

  remove(appId: AppId, mode: StripeMode): void {
    this.keys.delete(`${appId}/${mode}`);
  }

  async find(appId: AppId, mode: StripeMode): Promise<StripeAccount | undefined> {
    const key = this.keys.get(`${appId}/${mode}`);
    return key === undefined ? undefined : { appId, mode, secretKey: new Secret(key.secret) };
  }

  async configured(): Promise<{ appId: AppId; mode: StripeMode }[]> {
    return [...this.keys.keys()].map((key) => {
      const [appId, mode] = key.split('/') as [AppId, StripeMode];
      return { appId, mode };
    });
  }

  async set(appId: AppId, mode: StripeMode, secretKey: Secret, at: Date): Promise<void> {
    this.keys.set(`${appId}/${mode}`, { secret: secretKey.reveal(), updatedAt: at });
  }

  async status(appId: AppId): Promise<StripeKeyStatus[]> {
    return (['live', 'test'] as const).flatMap((mode) => {
      const key = this.keys.get(`${appId}/${mode}`);
      if (!key) return [];
      const kind = key.secret.slice(0, key.secret.indexOf('_', 3) + 1);
      return [{ mode, hint: `${kind}…${key.secret.slice(-4)}`, updatedAt: key.updatedAt, readable: true }];
    });
  }
}
