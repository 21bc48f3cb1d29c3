import { inject, injectable } from 'inversify';
import { Forbidden } from '../domain/errors';
import type { TenantId } from '../domain/ids';
import type { Tenant } from '../domain/tenant';
import type { Caller } from './caller';
import { Tenants } from './ports';

/** Which tenants a caller may reach: its own app's, and no other. */
@injectable()
export class TenantAccess {
  constructor(@inject(Tenants) private readonly tenants: Tenants) {}

  /** The tenant, when the caller's app owns it. An unknown tenant and another app's get the same answer, so ids cannot be probed. */
  async require(caller: Caller, tenantId: TenantId): Promise<Tenant> {
    const tenant = await this.tenants.find(tenantId);
    if (!tenant || !tenant.isOwnedBy(caller.appId)) {
      throw new Forbidden('tenant_not_found', 'The tenant does not exist or is not accessible with this API key.');
    }
    return tenant;
  }
}
