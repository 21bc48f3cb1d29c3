import type { TenantRecord } from '../../../application/admin-ports';
import { command, str, table } from '../command';

function describe(tenant: TenantRecord): string {
  const customers = [`live ${tenant.customers.live ?? '-'}`, `test ${tenant.customers.test ?? '-'}`].join(', ');
  return `Tenant ${tenant.id} of app ${tenant.appId}: ${tenant.members.length} member(s), country ${tenant.billingCountry ?? '-'}, customers ${customers}.`;
}

const membership = {
  tenant: { type: 'string', required: true, value: 'id', description: 'tenant id' },
  user: { type: 'string', required: true, value: 'uuid', description: 'user id' },
} as const;

export const tenantCommands = [
  command({
    group: 'tenants', name: 'create', summary: 'Create a tenant with its Stripe customers, country and members',
    options: {
      app: { type: 'string', required: true, value: 'id', description: 'app id' },
      id: { type: 'string', value: 'uuid', description: "the tenant's UUID in your system (default: a new one)" },
      country: { type: 'string', value: 'code', description: 'billing country, ISO 3166-1 alpha-2 (DE, US)' },
      'live-customer': { type: 'string', value: 'cus_…', description: 'Stripe customer id in live mode (cus_…)' },
      'test-customer': { type: 'string', value: 'cus_…', description: 'Stripe customer id in test mode (cus_…)' },
      member: { type: 'string', multiple: true, value: 'uuid', description: 'a user id allowed to bill the tenant; repeat for several' },
    },
    run: (values, { tenants }) =>
      tenants.create({
        appId: str(values, 'app')!,
        tenantId: str(values, 'id'),
        billingCountry: str(values, 'country'),
        liveCustomer: str(values, 'live-customer'),
        testCustomer: str(values, 'test-customer'),
        members: (values['member'] as string[] | undefined) ?? [],
      }),
    text: (tenant) => `Created. ${describe(tenant)}`,
  }),
  command({
    group: 'tenants', name: 'list', summary: "List an app's tenants",
    options: { app: { type: 'string', required: true, value: 'id', description: 'app id' } },
    run: (values, { tenants }) => tenants.list(str(values, 'app')!),
    text: (tenants) =>
      table(['ID', 'COUNTRY', 'LIVE CUSTOMER', 'TEST CUSTOMER', 'MEMBERS'], tenants.map((tenant) => [
        tenant.id, tenant.billingCountry ?? '-', tenant.customers.live ?? '-', tenant.customers.test ?? '-', String(tenant.members.length),
      ])),
  }),
  command({
    group: 'tenants', name: 'add-member', summary: 'Allow a user to bill a tenant', options: membership,
    run: (values, { tenants }) => tenants.addMember({ tenantId: str(values, 'tenant')!, userId: str(values, 'user')! }),
    text: describe,
  }),
  command({
    group: 'tenants', name: 'remove-member', summary: 'Stop a user from billing a tenant', options: membership,
    run: (values, { tenants }) => tenants.removeMember({ tenantId: str(values, 'tenant')!, userId: str(values, 'user')! }),
    text: describe,
  }),
];
