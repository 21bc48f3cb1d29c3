import type { WebhookSecrets, WebhookSecretStatus } from '../../application/lifecycle/lifecycle-ports';
import { Secret } from '../../application/secret';
import type { AppId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';
import type { SqlDatabase } from './open-database';
import type { SecretBox } from './secret-box';

function boundTo(appId: AppId, mode: StripeMode): string {
  return `stripe-webhook-secret|${appId}|${mode}`;
}

/** Each app's webhook signing secrets, sealed like its Stripe keys (AES-256-GCM, app and mode bound). */
export class SqlWebhookSecrets implements WebhookSecrets {
  constructor(
    private readonly database: SqlDatabase,
    private readonly box: SecretBox,
  ) {}

  async find(appId: AppId, mode: StripeMode): Promise<{ secret: Secret; endpointId: string | null } | undefined> {
    const row = await this.database.db
      .selectFrom('webhook_secrets')
      .select(['sealed_secret', 'endpoint_id'])
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .executeTakeFirst();
    if (!row) return undefined;
    const secret = this.box.open(row.sealed_secret, boundTo(appId, mode), `The Stripe ${mode} webhook secret of app ${appId}`);
    return { secret: new Secret(secret), endpointId: row.endpoint_id };
  }

  async set(appId: AppId, mode: StripeMode, secret: Secret, endpointId: string | null, at: Date): Promise<void> {
    const row = {
      app_id: appId,
      mode,
      sealed_secret: this.box.seal(secret.reveal(), boundTo(appId, mode)),
      hint: `whsec_…${secret.reveal().slice(-4)}`,
      endpoint_id: endpointId,
      updated_at: this.database.values.time(at),
    };
    await this.database.db
      .insertInto('webhook_secrets')
      .values(row)
      .onConflict((conflict) =>
        conflict.columns(['app_id', 'mode']).doUpdateSet({ sealed_secret: row.sealed_secret, hint: row.hint, endpoint_id: endpointId, updated_at: row.updated_at }),
      )
      .execute();
  }

  async status(appId: AppId): Promise<WebhookSecretStatus[]> {
    const rows = await this.database.db
      .selectFrom('webhook_secrets')
      .select(['mode', 'hint', 'endpoint_id', 'updated_at'])
      .where('app_id', '=', appId)
      .orderBy('mode')
      .execute();
    return rows.map((row) => ({ mode: row.mode, hint: row.hint, endpointId: row.endpoint_id, updatedAt: this.database.values.readTime(row.updated_at) }));
  }
}
