import { StripeKeyUnreadable } from '../../application/errors';
import type { AppId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';
import type { SqlDatabase } from './open-database';
import type { SecretBox } from './secret-box';
import type { SqlStripeAccounts } from './sql-stripe-accounts';

/** This process's MASTER_KEY is not the one the store was set up with: nothing it sealed could be opened. */
export class MasterKeyMismatch extends Error {
  constructor(where: string, detail: string) {
    super(`The store (${where}) belongs to another MASTER_KEY (${detail}). Start every process of this store (servers and CLI) with the MASTER_KEY it was set up with.`);
    this.name = 'MasterKeyMismatch';
  }
}

const CHECK = 'master_key_check';

/**
 * A store knows which master key it belongs to: the first process to use it stores the key's check value, and
 * every later process with another key is refused before it seals or opens anything. A store made before the
 * check existed is claimed only by a key that opens the Stripe key it already holds.
 */
export async function claimForMasterKey(database: SqlDatabase, box: SecretBox, accounts: SqlStripeAccounts): Promise<void> {
  const ours = box.keyCheck();
  const read = async () => (await database.db.selectFrom('store_settings').select('value').where('name', '=', CHECK).executeTakeFirst())?.value;
  let stored = await read();
  if (stored === undefined) {
    // A store of the master-key trap holds keys sealed under two keys: the key that opens any of them is the store's
    // (the others are shown as unreadable by `stripe status`, to be set again). One that opens none is refused.
    const sealed = await accounts.configured();
    if (sealed.length > 0 && !(await opensAny(accounts, sealed))) {
      throw new MasterKeyMismatch(database.description, `this one opens none of the ${sealed.length} Stripe keys it holds`);
    }
    await database.db.insertInto('store_settings').values({ name: CHECK, value: ours }).onConflict((conflict) => conflict.column('name').doNothing()).execute();
    stored = (await read())!;
  }
  if (stored !== ours) throw new MasterKeyMismatch(database.description, `its key check is ${stored.slice(0, 8)}…, this key's is ${ours.slice(0, 8)}…`);
}

async function opensAny(accounts: SqlStripeAccounts, sealed: { appId: AppId; mode: StripeMode }[]): Promise<boolean> {
  for (const { appId, mode } of sealed) {
    try {
      await accounts.find(appId, mode);
      return true;
    } catch (error) {
      if (!(error instanceof StripeKeyUnreadable)) throw error;
    }
  }
  return false;
}
