import { TENANTS, body } from '../../support/world';
import { GRAPHQL_TYPE_OF, SCENARIOS, requestHeaders } from './contract-scenarios';
import { CREDENTIALS, MUTATION, buildHttpWorld, type HttpWorld } from './http-world';

async function graphql(world: HttpWorld, payload: object, headers: Record<string, string> = CREDENTIALS) {
  const response = await world.app.inject({ method: 'POST', url: '/graphql', headers: { ...headers, 'content-type': 'application/json' }, payload });
  return { status: response.statusCode, headers: response.headers, json: response.json<{ data?: Record<string, any>; errors?: any[] }>() };
}

describe('GraphQL: every status and code of the contract, from the same scenario table', () => {
  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    const world = buildHttpWorld(scenario.rateLimit ? { rateLimit: scenario.rateLimit } : {});
    const cleanUp = await scenario.arrange?.(world);
    const { 'idempotency-key': idempotencyKey, ...headers } = requestHeaders(scenario);
    const variables = { tenantId: scenario.tenantId ?? TENANTS.pays, input: scenario.body ?? body(), ...(idempotencyKey ? { idempotencyKey } : {}) };
    const response = await graphql(world, { query: MUTATION, variables }, headers);
    cleanUp?.();
    const { expect: expected } = scenario;
    if (scenario.graphqlRequestError) {
      expect(response.status).toBe(scenario.graphqlRequestError);
      expect(response.json.errors?.[0].message).toEqual(expect.any(String));
      expect(world.billing.requests).toHaveLength(0);
      return;
    }
    if (expected.status === 401 || expected.status === 429) {
      expect(response.status).toBe(expected.status);
      expect(response.json.errors?.[0].extensions.code).toBe(expected.code);
      if (expected.retryAfter) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      return;
    }
    expect(response.status).toBe(200);
    if (expected.status === 500 && !expected.final) {
      expect(response.json.errors?.[0].message).toBe('Unexpected error.');
      expect(JSON.stringify(response.json)).not.toMatch(/boom|TypeError|\.ts:/);
      return;
    }
    const result = response.json.data?.['createStripeInvoice'];
    if (expected.status === 201) {
      expect(result).toMatchObject({ __typename: 'CreateStripeInvoiceSuccess', status: expected.chargeStatus, invoice: { id: expect.stringMatching(/^in_/) } });
    } else {
      expect(result).toMatchObject({ __typename: GRAPHQL_TYPE_OF[expected.code!], code: expected.code, message: expect.any(String) });
      if (expected.retryAfter) expect(result.retryAfterSeconds).toBeGreaterThan(0);
    }
  });
});

describe('GraphQL: the hardening', () => {
  it('refuses two payment mutations in one request, aliases or not, and charges nothing', async () => {
    const world = buildHttpWorld();
    const twice = `mutation($t: ID!, $i: CreateStripeInvoiceInput!) {
      a: createStripeInvoice(tenantId: $t, input: $i) { __typename }
      b: createStripeInvoice(tenantId: $t, input: $i) { __typename } }`;
    const response = await graphql(world, { query: twice, variables: { t: TENANTS.pays, i: body() } });
    expect(response.json.errors?.[0].message).toBe('Only one createStripeInvoice is allowed per request.');
    expect(world.billing.requests).toHaveLength(0);
  });

  it('logs every error it masks, with the request id, as REST does', async () => {
    const world = buildHttpWorld({ production: true });
    world.billing.createDraftInvoice = async () => {
      throw new TypeError('boom: a bug');
    };
    const response = await world.app.inject({
      method: 'POST', url: '/graphql', headers: { ...CREDENTIALS, 'content-type': 'application/json' },
      payload: { query: MUTATION, variables: { tenantId: TENANTS.pays, input: body() } },
    });
    expect(response.json().errors[0].message).toBe('Unexpected error.');
    const requestId = response.headers['x-request-id'];
    const logged = world.logs.map((line) => JSON.parse(line) as Record<string, any>).filter((line) => line['level'] === 50);
    expect(logged).toEqual([expect.objectContaining({ reqId: requestId, msg: 'unexpected error', err: expect.objectContaining({ message: 'boom: a bug' }) })]);
  });

  it('refuses a document nested deeper than 32 levels before parsing it', async () => {
    const world = buildHttpWorld();
    const deep = `{ apiVersion(a: ${'['.repeat(40)}${']'.repeat(40)}) }`;
    const response = await graphql(world, { query: deep });
    expect(response.json.errors?.[0]).toMatchObject({ message: expect.stringMatching(/nests deeper than 32 levels/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
    const shallowInString = `{ apiVersion # ${'['.repeat(40)}\n }`;
    expect((await graphql(world, { query: shallowInString })).json.data).toEqual({ apiVersion: '1' });
  });

  it('refuses queries with too many aliases or tokens', async () => {
    const world = buildHttpWorld();
    const aliases = `{ ${Array.from({ length: 8 }, (_, index) => `a${index}: apiVersion`).join(' ')} }`;
    expect((await graphql(world, { query: aliases })).json.errors?.[0].message).toMatch(/aliases/i);
    const huge = `{ apiVersion ${'__typename '.repeat(2500)}}`;
    expect((await graphql(world, { query: huge })).json.errors?.[0].message).toMatch(/token/i);
  });

  it('refuses a batch and a simple cross-site request without the custom header', async () => {
    const world = buildHttpWorld();
    const batch = await world.app.inject({ method: 'POST', url: '/graphql', headers: { ...CREDENTIALS, 'content-type': 'application/json' }, payload: [{ query: '{ apiVersion }' }, { query: '{ apiVersion }' }] });
    expect(batch.statusCode).toBeGreaterThanOrEqual(400);
    const simple = await world.app.inject({ method: 'GET', url: '/graphql?query=%7BapiVersion%7D', headers: { 'x-api-key-type': 'write' } });
    expect(simple.statusCode).toBe(401);
  });

  it('serves GraphiQL and introspection in local mode, neither in production', async () => {
    const local = buildHttpWorld({ graphiql: true });
    const page = await local.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, expect.stringContaining('text/html')]);
    expect((await graphql(local, { query: '{ __schema { queryType { name } } }' })).json.data).toEqual({ __schema: { queryType: { name: 'Query' } } });

    const production = buildHttpWorld({ production: true });
    const noPage = await production.app.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(noPage.statusCode).toBe(401);
    const introspection = await graphql(production, { query: '{ __schema { queryType { name } } }' });
    expect(introspection.json.errors?.[0].message).toMatch(/introspection/i);
    const typo = await graphql(production, { query: '{ apiVersio }' });
    expect(typo.json.errors?.[0].message).not.toMatch(/Did you mean/);
  });
});
