import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { parseCustomerId, parseTenantId, parseUserId, type CustomerId } from '../../domain/ids';
import type { StripeMode } from '../../domain/modes';
import { parseCountryCode } from '../../domain/tenant';
import { TenantDirectory, type TenantRecord } from '../admin-ports';
import { Clock, Ids } from '../ports';
import { AlreadyExists, NotFound } from '../errors';
import { ManageApps } from './manage-apps';
import { parseInput } from './parse-input';

const CreateTenant = z.strictObject({
  appId: z.string(),
  /** The tenant's id in the app's own system; a new UUID when absent. */
  tenantId: z.string().optional(),
  billingCountry: z.string().optional(),
  liveCustomer: z.string().optional(),
  testCustomer: z.string().optional(),
  members: z.array(z.string()).max(10_000).default([]),
});
const Membership = z.strictObject({ tenantId: z.string(), userId: z.string() });

/** Tenants of an app: their Stripe customer per mode, billing country, and the users who may bill them. */
@injectable()
export class ManageTenants {
  constructor(
    @inject(TenantDirectory) private readonly directory: TenantDirectory,
    @inject(ManageApps) private readonly apps: ManageApps,
    @inject(Clock) private readonly clock: Clock,
    @inject(Ids) private readonly ids: Ids,
  ) {}

  async create(input: z.input<typeof CreateTenant>): Promise<TenantRecord> {
    const parsed = parseInput(CreateTenant, input);
    const customers: Partial<Record<StripeMode, CustomerId>> = {};
    if (parsed.liveCustomer) customers.live = parseCustomerId(parsed.liveCustomer);
    if (parsed.testCustomer) customers.test = parseCustomerId(parsed.testCustomer);
    const tenant: TenantRecord = {
      id: parseTenantId(parsed.tenantId ?? this.ids.next()),
      appId: (await this.apps.require(parsed.appId)).id,
      billingCountry: parsed.billingCountry ? parseCountryCode(parsed.billingCountry) : null,
      customers,
      members: [...new Set(parsed.members.map(parseUserId))],
      createdAt: this.clock.now(),
    };
    if (!(await this.directory.create(tenant))) throw new AlreadyExists('tenant', tenant.id);
    return tenant;
  }

  async list(appId: string): Promise<TenantRecord[]> {
    return this.directory.list((await this.apps.require(appId)).id);
  }

  async addMember(input: z.input<typeof Membership>): Promise<TenantRecord> {
    const { tenantId, userId } = parseInput(Membership, input);
    const tenant = await this.require(tenantId);
    await this.directory.addMember(tenant.id, parseUserId(userId));
    return this.require(tenantId);
  }

  async removeMember(input: z.input<typeof Membership>): Promise<TenantRecord> {
    const { tenantId, userId } = parseInput(Membership, input);
    const tenant = await this.require(tenantId);
    if (!(await this.directory.removeMember(tenant.id, parseUserId(userId)))) {
      throw new NotFound(`member of tenant ${tenant.id}:`, userId);
    }
    return this.require(tenantId);
  }

  private async require(id: string): Promise<TenantRecord> {
    const tenant = await this.directory.get(parseTenantId(id));
    if (!tenant) throw new NotFound('tenant', id);
    return tenant;
  }
}
