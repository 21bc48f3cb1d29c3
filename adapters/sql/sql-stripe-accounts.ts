import type { StripeAccountSettings, StripeKeyStatus } from '../../application/admin-ports';
import type { StripeAccount } from '../../application/billing-provider';
import { StripeKeyUnreadable } from '../../application/errors';
import type { StripeAccounts } from '../../application/ports';
import { Secret } from '../../application/secret';
import { parseAppId, type AppId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';
import type { SqlDatabase } from './open-database';
import { SecretUnreadable, type SecretBox } from './secret-box';

function boundTo(appId: AppId, mode: StripeMode): string {
  return `stripe-secret-key|${appId}|${mode}`;
}

/** `sk_test_…4242`: the key's kind and last four characters. */
function hintOf(secretKey: string): string {
  const kind = secretKey.slice(0, secretKey.indexOf('_', 3) + 1);
  return `${kind}…${secretKey.slice(-4)}`;
}

/** Each app's Stripe secret keys, sealed with AES-256-GCM; a key that cannot be opened fails closed. */
export class SqlStripeAccounts implements StripeAccounts, StripeAccountSettings {
  constructor(
    private readonly database: SqlDatabase,
    private readonly box: SecretBox,
  ) {}

  async find(appId: AppId, mode: StripeMode): Promise<StripeAccount | undefined> {
    const row = await this.database.db
      .selectFrom('stripe_accounts')
      .select('sealed_key')
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .executeTakeFirst();
    if (!row) return undefined;
    return { appId, mode, secretKey: new Secret(this.opened(row.sealed_key, appId, mode)) };
  }

  private opened(sealed: string, appId: AppId, mode: StripeMode): string {
    try {
      return this.box.open(sealed, boundTo(appId, mode), `The Stripe ${mode} key of app ${appId}`);
    } catch (error) {
      if (error instanceof SecretUnreadable) throw new StripeKeyUnreadable(mode);
      throw error;
    }
  }

  async configured(): Promise<{ appId: AppId; mode: StripeMode }[]> {
    const rows = await this.database.db.selectFrom('stripe_accounts').select(['app_id', 'mode']).orderBy('app_id').orderBy('mode').execute();
    return rows.map((row) => ({ appId: parseAppId(row.app_id), mode: row.mode }));
  }

  async set(appId: AppId, mode: StripeMode, secretKey: Secret, at: Date): Promise<void> {
    const { db, values } = this.database;
    const row = {
      app_id: appId,
      mode,
      sealed_key: this.box.seal(secretKey.reveal(), boundTo(appId, mode)),
      hint: hintOf(secretKey.reveal()),
      updated_at: values.time(at),
    };
    await db
      .insertInto('stripe_accounts')
      .values(row)
      .onConflict((conflict) =>
        conflict.columns(['app_id', 'mode']).doUpdateSet({ sealed_key: row.sealed_key, hint: row.hint, updated_at: row.updated_at }),
      )
      .execute();
  }

  async status(appId: AppId): Promise<StripeKeyStatus[]> {
    const rows = await this.database.db
      .selectFrom('stripe_accounts')
      .select(['mode', 'hint', 'updated_at', 'sealed_key'])
      .where('app_id', '=', appId)
      .orderBy('mode')
      .execute();
    return rows.map((row) => ({
      mode: row.mode, hint: row.hint, updatedAt: this.database.values.readTime(row.updated_at), readable: this.readable(row.sealed_key, appId, row.mode),
    }));
  }

  private readable(sealed: string, appId: AppId, mode: StripeMode): boolean {
    try {
      this.opened(sealed, appId, mode);
      return true;
    } catch {
      return false;
    }
  }
}
