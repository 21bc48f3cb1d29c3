import type { StripeAccount } from '../../application/billing-provider';
import type { StripeAccounts } from '../../application/ports';
import { Secret } from '../../application/secret';
import type { AppId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';

export class InMemoryStripeAccounts implements StripeAccounts {
  private readonly keys = new Map<string, string>();

  set(appId: AppId, mode: StripeMode, secretKey: string): void {
    this.keys.set(`${appId}/${mode}`, secretKey);
  }

  remove(appId: AppId, mode: StripeMode): void {
    this.keys.delete(`${appId}/${mode}`);
  }

  async find(appId: AppId, mode: StripeMode): Promise<StripeAccount | undefined> {
    const key = this.keys.get(`${appId}/${mode}`);
    return key === undefined ? undefined : { appId, mode, secretKey: new Secret(key) };
  }
}
