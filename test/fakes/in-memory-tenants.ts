import type { TenantId } from '../../domain/ids';
import type { Tenant } from '../../domain/tenant';
import type { Tenants } from '../../application/ports';

export class InMemoryTenants implements Tenants {
  private readonly byId = new Map<TenantId, Tenant>();

  add(tenant: Tenant): void {
    this.byId.set(tenant.id, tenant);
  }

  async find(id: TenantId): Promise<Tenant | undefined> {
    return this.byId.get(id);
  }
}
