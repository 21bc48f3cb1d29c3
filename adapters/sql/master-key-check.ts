import { StripeKeyUnreadable } from '../../application/errors';
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
    const [sealed] = await accounts.configured();
    if (sealed) {
      try {
        await accounts.find(sealed.appId, sealed.mode);
      } catch (error) {
        if (error instanceof StripeKeyUnreadable) throw new MasterKeyMismatch(database.description, 'this one cannot open the Stripe keys it holds');
        throw error;
      }
    }
    await database.db.insertInto('store_settings').values({ name: CHECK, value: ours }).onConflict((conflict) => conflict.column('name').doNothing()).execute();
    stored = (await read())!;
  }
  if (stored !== ours) throw new MasterKeyMismatch(database.description, `its key check is ${stored.slice(0, 8)}…, this key's is ${ours.slice(0, 8)}…`);
}
