import type { TenantDirectory, TenantRecord } from '../../application/admin-ports';
import type { Tenants } from '../../application/ports';
import type { AppId, TenantId, UserId } from '../../domain/ids';
import { Tenant } from '../../domain/tenant';

export class InMemoryTenants implements Tenants, TenantDirectory {
  private readonly byId = new Map<TenantId, TenantRecord>();

  /** Seeds a domain tenant directly (tests of the use case). */
  add(tenant: Tenant, members: UserId[] = []): void {
    this.byId.set(tenant.id, {
      id: tenant.id,
      appId: tenant.appId,
      billingCountry: tenant.billingCountry ?? null,
      customers: { ...(tenant.customerIn('live') ? { live: tenant.customerIn('live') } : {}), ...(tenant.customerIn('test') ? { test: tenant.customerIn('test') } : {}) },
      members,
      createdAt: new Date(0),
    });
  }

  async find(id: TenantId): Promise<Tenant | undefined> {
    const record = this.byId.get(id);
    return record && Tenant.create({ ...record, billingCountry: record.billingCountry ?? undefined });
  }

  async create(tenant: TenantRecord): Promise<boolean> {
    if (this.byId.has(tenant.id)) return false;
    // As the database's primary key on (tenant, user) does: a repeated member fails the whole creation.
    if (new Set(tenant.members).size !== tenant.members.length) throw new Error('duplicate tenant member');
    this.byId.set(tenant.id, { ...tenant, members: [...tenant.members] });
    return true;
  }

  async get(id: TenantId): Promise<TenantRecord | undefined> {
    const record = this.byId.get(id);
    return record && { ...record, members: [...record.members] };
  }

  async list(appId: AppId): Promise<TenantRecord[]> {
    return [...this.byId.values()].filter((tenant) => tenant.appId === appId).map((tenant) => ({ ...tenant, members: [...tenant.members] }));
  }

  async addMember(id: TenantId, userId: UserId): Promise<void> {
    const tenant = this.byId.get(id);
    if (tenant && !tenant.members.includes(userId)) tenant.members.push(userId);
  }

  async removeMember(id: TenantId, userId: UserId): Promise<boolean> {
    const tenant = this.byId.get(id);
    if (!tenant || !tenant.members.includes(userId)) return false;
    tenant.members = tenant.members.filter((member) => member !== userId);
    return true;
  }
}
