import type { WebhookSecrets, WebhookSecretStatus } from '../../application/lifecycle/lifecycle-ports';
import { Secret } from '../../application/secret';
import type { AppId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';

export class InMemoryWebhookSecrets implements WebhookSecrets {
  private readonly secrets = new Map<string, { secret: string; endpointId: string | null; updatedAt: Date }>();

  async find(appId: AppId, mode: StripeMode): Promise<{ secret: Secret; endpointId: string | null } | undefined> {
    const found = this.secrets.get(`${appId}/${mode}`);
    return found && { secret: new Secret(found.secret), endpointId: found.endpointId };
  }

  async set(appId: AppId, mode: StripeMode, secret: Secret, endpointId: string | null, at: Date): Promise<void> {
    this.secrets.set(`${appId}/${mode}`, { secret: secret.reveal(), endpointId, updatedAt: at });
  }

  async status(appId: AppId): Promise<WebhookSecretStatus[]> {
    return (['live', 'test'] as const).flatMap((mode) => {
      const found = this.secrets.get(`${appId}/${mode}`);
      return found ? [{ mode, hint: `whsec_…${found.secret.slice(-4)}`, endpointId: found.endpointId, updatedAt: found.updatedAt }] : [];
    });
  }
}
