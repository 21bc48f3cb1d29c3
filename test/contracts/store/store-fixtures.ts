import { randomUUID } from 'node:crypto';
import { parseAppId, parseTenantId, parseUserId, type AppId } from '../../../domain/ids';
import type { StoreWorld } from './store-worlds';

export const newAppId = () => parseAppId(randomUUID());
export const newTenantId = () => parseTenantId(randomUUID());
export const newUserId = () => parseUserId(randomUUID());

/** An app row, which API keys, Stripe keys and tenants refer to. */
export async function anApp(world: StoreWorld, name = 'Acme'): Promise<AppId> {
  const id = newAppId();
  await world.store.apps.create({ id, name, createdAt: world.clock.now() });
  return id;
}
