import { TENANTS, body } from '../../support/world';
import { MUTATION, buildHttpWorld, type HttpWorld } from './http-world';
import { CALLERS, invoiceId, seedInvoices } from './read-scenarios';

// Probing across tenants and apps learns nothing: what is not yours answers exactly as what does not exist.

const UNKNOWN_TENANT = 'e0000000-0000-4000-8000-0000000000ff';

async function rest(world: HttpWorld, method: 'GET' | 'POST', url: string, caller: keyof typeof CALLERS = 'write', payload?: object) {
  const response = await world.app.inject({ method, url, headers: { ...CALLERS[caller], 'content-type': 'application/json' }, ...(payload ? { payload } : {}) });
  return `${response.statusCode} ${response.body}`;
}

async function graphql(world: HttpWorld, query: string, variables: object, caller: keyof typeof CALLERS = 'write') {
  const response = await world.app.inject({ method: 'POST', url: '/graphql', headers: { ...CALLERS[caller], 'content-type': 'application/json' }, payload: { query, variables } });
  return `${response.statusCode} ${response.body}`;
}

const ROUTES = [
  ['list', 'GET', (tenant: string) => `/api/v1/tenants/${tenant}/stripe-invoices`],
  ['get', 'GET', (tenant: string) => `/api/v1/tenants/${tenant}/stripe-invoices/${invoiceId(41)}`],
  ['preview', 'POST', (tenant: string) => `/api/v1/tenants/${tenant}/stripe-invoices/preview`],
  ['create', 'POST', (tenant: string) => `/api/v1/tenants/${tenant}/stripe-invoices`],
] as const;

const QUERIES = [
  ['tenant', 'query($t: ID!) { tenant(id: $t) { __typename ... on Error { code message } ... on Tenant { invoices { edges { node { id } } } } } }', {}],
  ['invoice', 'query($t: ID!) { invoice(tenantId: $t, id: "in_seed0041") { __typename ... on Error { code message } ... on TenantInvoice { id } } }', {}],
  ['previewStripeInvoice', 'query($t: ID!, $i: CreateStripeInvoiceInput!) { previewStripeInvoice(tenantId: $t, input: $i) { __typename ... on Error { code message } } }', { i: body() }],
  ['createStripeInvoice', MUTATION, { input: body() }],
] as const;

describe('probing another app or tenant', () => {
  it.each(ROUTES)("REST %s: another app's tenant answers exactly as an unknown tenant", async (_name, method, url) => {
    const world = buildHttpWorld();
    seedInvoices(world);
    const payload = method === 'POST' ? body() : undefined;
    const foreign = await rest(world, method, url(TENANTS.otherApps), 'write', payload);
    const unknown = await rest(world, method, url(UNKNOWN_TENANT), 'write', payload);
    expect(foreign).toMatch(/^403 /);
    expect(foreign).toBe(unknown.replaceAll(UNKNOWN_TENANT, TENANTS.otherApps));
    expect(world.billing.requests).toEqual([]);
  });

  it.each(QUERIES)("GraphQL %s: another app's tenant answers exactly as an unknown tenant", async (_name, query, extra) => {
    const world = buildHttpWorld();
    seedInvoices(world);
    const foreign = await graphql(world, query, { ...extra, t: TENANTS.otherApps, tenantId: TENANTS.otherApps });
    const unknown = await graphql(world, query, { ...extra, t: UNKNOWN_TENANT, tenantId: UNKNOWN_TENANT });
    expect(foreign).toMatch(/FORBIDDEN/);
    expect(foreign).toBe(unknown);
    expect(world.billing.requests).toEqual([]);
  });

  it("answers another tenant's and another app's invoice exactly as an unknown one, over REST and GraphQL", async () => {
    const world = buildHttpWorld();
    seedInvoices(world);
    const byRest = await Promise.all(
      [invoiceId(31), invoiceId(41), 'in_seed9999'].map(async (id) =>
        (await rest(world, 'GET', `/api/v1/tenants/${TENANTS.pays}/stripe-invoices/${id}`)).replaceAll(id, '<id>')),
    );
    expect(byRest[0]).toMatch(/^404 /);
    expect(new Set(byRest).size).toBe(1);
    const byGraphQL = await Promise.all(
      [invoiceId(31), invoiceId(41), 'in_seed9999'].map(async (id) =>
        (await graphql(world, 'query($t: ID!, $id: ID!) { invoice(tenantId: $t, id: $id) { __typename ... on Error { code message } } }', { t: TENANTS.pays, id })).replaceAll(id, '<id>')),
    );
    expect(byGraphQL[0]).toMatch(/NOT_FOUND/);
    expect(new Set(byGraphQL).size).toBe(1);
  });

  it("lets another app's key see nothing of this app's tenants", async () => {
    const world = buildHttpWorld();
    seedInvoices(world);
    for (const [, method, url] of ROUTES) {
      expect(await rest(world, method, url(TENANTS.pays), 'otherApp', method === 'POST' ? body() : undefined)).toMatch(/^403 .*"code":"FORBIDDEN"/);
    }
    expect(world.billing.requests).toEqual([]);
    expect(world.chargeLedger.rows).toEqual([]);
  });
});

describe('a read key', () => {
  it('reads every route and query, and changes nothing anywhere', async () => {
    const world = buildHttpWorld();
    seedInvoices(world);
    const before = JSON.stringify([...world.chargeLedger.invoices.rows.values()]);
    const answers = [
      await rest(world, 'GET', `/api/v1/tenants/${TENANTS.pays}/stripe-invoices`, 'read'),
      await rest(world, 'GET', `/api/v1/tenants/${TENANTS.pays}/stripe-invoices/${invoiceId(4)}`, 'read'),
      await rest(world, 'POST', `/api/v1/tenants/${TENANTS.pays}/stripe-invoices/preview`, 'read', body()),
      await rest(world, 'POST', `/v1/tenants/${TENANTS.pays}/stripe-invoices/preview`, 'read', body()),
    ];
    expect(answers.map((answer) => answer.slice(0, 3))).toEqual(['200', '200', '200', '200']);
    for (const [, query, extra] of QUERIES.slice(0, 3)) {
      const own = query.replace(invoiceId(41), invoiceId(4));
      expect(await graphql(world, own, { ...extra, t: TENANTS.pays, tenantId: TENANTS.pays }, 'read')).not.toMatch(/"code"/);
    }
    expect(await rest(world, 'POST', `/api/v1/tenants/${TENANTS.pays}/stripe-invoices`, 'read', body())).toMatch(/^403 .*"code":"FORBIDDEN"/);
    expect(await graphql(world, MUTATION, { tenantId: TENANTS.pays, input: body() }, 'read')).toMatch(/"__typename":"ForbiddenError"/);
    expect(world.billing.requests).toEqual([]);
    expect(world.chargeLedger.rows).toEqual([]);
    expect([...world.idempotencyRecords.records.values()]).toEqual([]);
    expect(JSON.stringify([...world.chargeLedger.invoices.rows.values()])).toBe(before);
  });
});
