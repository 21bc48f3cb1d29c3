import type { TenantDirectory, TenantRecord } from '../../application/admin-ports';
import type { Tenants } from '../../application/ports';
import { parseAppId, parseCustomerId, parseTenantId, parseUserId, type AppId, type TenantId, type UserId } from '../../domain/ids';
import { Tenant, parseCountryCode } from '../../domain/tenant';
import type { SqlDatabase } from './open-database';
import type { TenantsTable } from './sql-schema';

type TenantRow = { [K in keyof TenantsTable]: unknown };

/** Tenants and their members. `find` is on the charge path: one query, the tenant joined to its members. */
export class SqlTenants implements Tenants, TenantDirectory {
  constructor(private readonly database: SqlDatabase) {}

  async find(id: TenantId): Promise<Tenant | undefined> {
    const record = await this.get(id);
    return (
      record &&
      Tenant.create({
        id: record.id,
        appId: record.appId,
        members: record.members,
        billingCountry: record.billingCountry ?? undefined,
        customers: record.customers,
      })
    );
  }

  async create(tenant: TenantRecord): Promise<boolean> {
    const { db, values } = this.database;
    return db.transaction().execute(async (transaction) => {
      const inserted = await transaction
        .insertInto('tenants')
        .values({
          id: tenant.id,
          app_id: tenant.appId,
          billing_country: tenant.billingCountry,
          live_customer: tenant.customers.live ?? null,
          test_customer: tenant.customers.test ?? null,
          created_at: values.time(tenant.createdAt),
        })
        .onConflict((conflict) => conflict.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (!inserted) return false;
      if (tenant.members.length > 0) {
        await transaction
          .insertInto('tenant_members')
          .values(tenant.members.map((userId) => ({ tenant_id: tenant.id, user_id: userId })))
          .execute();
      }
      return true;
    });
  }

  async get(id: TenantId): Promise<TenantRecord | undefined> {
    const { db } = this.database;
    // The tenant with its members in one statement (every charge reads it): one row per member, or one with none.
    const rows = await db
      .selectFrom('tenants')
      .leftJoin('tenant_members', 'tenant_members.tenant_id', 'tenants.id')
      .selectAll('tenants')
      .select('tenant_members.user_id as member_id')
      .where('tenants.id', '=', id)
      .execute();
    const [row] = rows;
    if (!row) return undefined;
    const { member_id: _member, ...tenant } = row;
    return this.toRecord(tenant, rows.flatMap((each) => (each.member_id === null ? [] : [parseUserId(each.member_id)])));
  }

  async list(appId: AppId): Promise<TenantRecord[]> {
    const { db } = this.database;
    const rows = await db.selectFrom('tenants').selectAll().where('app_id', '=', appId).orderBy('created_at').orderBy('id').execute();
    const members = await db
      .selectFrom('tenant_members')
      .innerJoin('tenants', 'tenants.id', 'tenant_members.tenant_id')
      .select(['tenant_members.tenant_id', 'tenant_members.user_id'])
      .where('tenants.app_id', '=', appId)
      .execute();
    return rows.map((row) =>
      this.toRecord(row, members.filter((member) => member.tenant_id === row.id).map((member) => parseUserId(member.user_id))),
    );
  }

  async addMember(id: TenantId, userId: UserId): Promise<void> {
    await this.database.db
      .insertInto('tenant_members')
      .values({ tenant_id: id, user_id: userId })
      .onConflict((conflict) => conflict.columns(['tenant_id', 'user_id']).doNothing())
      .execute();
  }

  async removeMember(id: TenantId, userId: UserId): Promise<boolean> {
    const removed = await this.database.db
      .deleteFrom('tenant_members')
      .where('tenant_id', '=', id)
      .where('user_id', '=', userId)
      .returning('user_id')
      .executeTakeFirst();
    return removed !== undefined;
  }

  private toRecord(row: TenantRow, members: UserId[]): TenantRecord {
    const customers: TenantRecord['customers'] = {};
    if (row.live_customer) customers.live = parseCustomerId(String(row.live_customer));
    if (row.test_customer) customers.test = parseCustomerId(String(row.test_customer));
    return {
      id: parseTenantId(String(row.id)),
      appId: parseAppId(String(row.app_id)),
      billingCountry: row.billing_country ? parseCountryCode(String(row.billing_country)) : null,
      customers,
      members,
      createdAt: this.database.values.readTime(row.created_at),
    };
  }
}
