import { parseCountryCode } from '../../../domain/tenant';
import { parseCustomerId } from '../../../domain/ids';
import { anApp, newTenantId, newUserId } from './store-fixtures';
import { forEachStore } from './store-worlds';

forEachStore('Tenants and TenantDirectory', (world) => {
  const record = async (overrides: Record<string, unknown> = {}) => ({
    id: newTenantId(),
    appId: await anApp(world()),
    billingCountry: parseCountryCode('DE'),
    customers: { live: parseCustomerId('cus_live1'), test: parseCustomerId('cus_test1') },
    members: [newUserId(), newUserId()],
    createdAt: world().clock.now(),
    ...overrides,
  });

  it('creates a tenant with its members, and finds it as the domain tenant', async () => {
    const tenant = await record();
    expect(await world().store.tenants.create(tenant)).toBe(true);
    const found = await world().store.tenants.find(tenant.id);
    expect(found?.isOwnedBy(tenant.appId)).toBe(true);
    expect(found?.hasMember(tenant.members[0]!)).toBe(true);
    expect(found?.hasMember(newUserId())).toBe(false);
    expect(found?.customerIn('test')).toBe('cus_test1');
    expect(found?.billingCountry).toBe('DE');
    expect((await world().store.tenants.get(tenant.id))?.members.sort()).toEqual([...tenant.members].sort());
  });

  it('keeps a tenant without country, customers or members', async () => {
    const tenant = await record({ billingCountry: null, customers: {}, members: [] });
    await world().store.tenants.create(tenant);
    expect(await world().store.tenants.get(tenant.id)).toEqual(tenant);
  });

  it('refuses an id that is taken, changing nothing', async () => {
    const tenant = await record();
    await world().store.tenants.create(tenant);
    expect(await world().store.tenants.create({ ...tenant, members: [newUserId()] })).toBe(false);
    expect((await world().store.tenants.get(tenant.id))?.members).toHaveLength(2);
  });

  it('creates all or nothing: a failing member insert leaves no tenant', async () => {
    const member = newUserId();
    const tenant = await record({ members: [member, member] });
    await expect(world().store.tenants.create(tenant)).rejects.toThrow();
    expect(await world().store.tenants.get(tenant.id)).toBeUndefined();
  });

  it('lists an app\'s tenants with their members, and adds and removes members', async () => {
    const tenant = await record({ members: [] });
    await world().store.tenants.create(tenant);
    const other = await record();
    await world().store.tenants.create(other);
    const user = newUserId();
    await world().store.tenants.addMember(tenant.id, user);
    await world().store.tenants.addMember(tenant.id, user);
    const listed = await world().store.tenants.list(tenant.appId);
    expect(listed).toEqual([{ ...tenant, members: [user] }]);
    expect(await world().store.tenants.removeMember(tenant.id, user)).toBe(true);
    expect(await world().store.tenants.removeMember(tenant.id, user)).toBe(false);
    expect((await world().store.tenants.find(tenant.id))?.hasMember(user)).toBe(false);
    expect(await world().store.tenants.find(newTenantId())).toBeUndefined();
  });
});
