import { TENANTS, body } from '../../support/world';
import { buildHttpWorld, type HttpWorld } from './http-world';
import { CALLERS, READ_SCENARIOS, invoiceId, seedInvoices, type ReadCall, type ReadScenario } from './read-scenarios';

const INVOICE_FIELDS = [
  'id', 'number', 'status', 'paymentStatus', 'mode', 'livemode', 'currency', 'subtotal', 'tax', 'total', 'amountPaid', 'amountRefunded',
  'hostedInvoiceUrl', 'invoicePdf', 'paymentIntentId', 'subscriptionId', 'subscriptionStatus', 'billingReason', 'tenantId', 'userId', 'idempotencyKey', 'createdAt', 'updatedAt',
].join(' ');

/** What a call answered, in one shape for both faces: the data, or the status and code of the refusal. */
type Answer = { data: unknown } | { status: number; code: string };

async function overRest(world: HttpWorld, caller: keyof typeof CALLERS, call: ReadCall): Promise<Answer> {
  const base = `/api/v1/tenants/${call.tenantId ?? TENANTS.pays}/stripe-invoices`;
  const headers = { ...CALLERS[caller], 'content-type': 'application/json' };
  const response =
    call.kind === 'list'
      ? await world.app.inject({ method: 'GET', url: base, query: Object.fromEntries(Object.entries(call.query ?? {}).map(([name, value]) => [name, String(value)])), headers })
      : call.kind === 'get'
        ? await world.app.inject({ method: 'GET', url: `${base}/${call.invoiceId}`, headers })
        : await world.app.inject({ method: 'POST', url: `${base}/preview`, headers, payload: call.input ?? body() });
  const json = response.json<Record<string, any>>();
  if (response.statusCode !== 200) return { status: response.statusCode, code: json['code'] };
  expect(json).toMatchObject({ success: true, error: null, message: expect.any(String) });
  if (call.kind === 'list') return { data: { ids: json['data'].invoices.map((invoice: { id: string }) => invoice.id), hasMore: json['data'].hasMore } };
  return { data: call.kind === 'get' ? json['data'].invoice : json['data'].preview };
}

const STATUS_OF_CODE: Record<string, number> = { VALIDATION_FAILED: 400, TENANT_MISMATCH: 400, PRICE_NOT_USABLE: 400, FORBIDDEN: 403, NOT_FOUND: 404 };

async function overGraphQL(world: HttpWorld, caller: keyof typeof CALLERS, call: ReadCall): Promise<Answer> {
  const tenantId = call.tenantId ?? TENANTS.pays;
  let query: string;
  let variables: Record<string, unknown>;
  if (call.kind === 'list') {
    const q = call.query ?? {};
    const backwards = q.endingBefore !== undefined;
    variables = {
      t: tenantId, test: q.test, status: q.status, userId: q.userId,
      ...(backwards ? { last: q.limit } : { first: q.limit }),
      after: q.startingAfter,
      before: q.endingBefore,
    };
    query = `query($t: ID!, $first: Int, $after: String, $last: Int, $before: String, $test: Boolean, $status: InvoiceStatus, $userId: ID) {
      tenant(id: $t) { __typename ... on Error { code }
        ... on Tenant { invoices(first: $first, after: $after, last: $last, before: $before, test: $test, status: $status, userId: $userId) {
          edges { node { id } } pageInfo { hasNextPage hasPreviousPage } } } } }`;
  } else if (call.kind === 'get') {
    variables = { t: tenantId, id: call.invoiceId };
    query = `query($t: ID!, $id: ID!) { invoice(tenantId: $t, id: $id) { __typename ... on Error { code } ... on TenantInvoice { ${INVOICE_FIELDS} } } }`;
  } else {
    variables = { t: tenantId, i: call.input ?? body() };
    query = `query($t: ID!, $i: CreateStripeInvoiceInput!) { previewStripeInvoice(tenantId: $t, input: $i) { __typename ... on Error { code }
      ... on InvoicePreview { currency subtotal tax total lines { price quantity unitAmount amount tax } taxRate { id percentage inclusive } mode livemode } } }`;
  }
  const response = await world.app.inject({ method: 'POST', url: '/graphql', headers: { ...CALLERS[caller], 'content-type': 'application/json' }, payload: { query, variables } });
  const json = response.json<{ data?: Record<string, any> | null; errors?: { extensions?: { code?: string } }[] }>();
  if (json.errors?.length) {
    // A value the schema's own types refuse (an unknown enum value) is GraphQL's VALIDATION_FAILED.
    const code = json.errors[0]!.extensions?.code;
    const named = code === undefined || code === 'BAD_USER_INPUT' || code === 'GRAPHQL_VALIDATION_FAILED' ? 'VALIDATION_FAILED' : code;
    return { status: STATUS_OF_CODE[named] ?? 0, code: named };
  }
  const field = json.data![call.kind === 'list' ? 'tenant' : call.kind === 'get' ? 'invoice' : 'previewStripeInvoice'];
  if (field.code) return { status: STATUS_OF_CODE[field.code] ?? 0, code: field.code };
  if (call.kind === 'list') {
    const { edges, pageInfo } = field.invoices;
    const backwards = call.query?.endingBefore !== undefined;
    return { data: { ids: edges.map((edge: { node: { id: string } }) => edge.node.id), hasMore: backwards ? pageInfo.hasPreviousPage : pageInfo.hasNextPage } };
  }
  const { __typename: _typename, ...data } = field;
  return { data };
}

function expected(scenario: ReadScenario, world: HttpWorld): (answer: Answer) => void {
  const wanted = scenario.expect;
  return (answer) => {
    if ('code' in wanted) return expect(answer).toEqual({ status: wanted.status, code: wanted.code });
    expect(answer).toHaveProperty('data');
    const data = (answer as { data: any }).data;
    if ('ids' in wanted) expect(data).toEqual({ ids: wanted.ids.map(invoiceId), hasMore: wanted.hasMore });
    else if ('invoice' in wanted) expect(data).toMatchObject({ id: invoiceId(wanted.invoice), number: `SEED-${wanted.invoice}` });
    else expect(data).toMatchObject(wanted.preview);
    void world;
  };
}

describe('the read side: every row over REST and GraphQL, with the same data', () => {
  it.each(READ_SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', async (_name, scenario) => {
    const world = buildHttpWorld();
    seedInvoices(world);
    const caller = scenario.caller ?? 'write';
    const rest = await overRest(world, caller, scenario.call);
    const graphql = await overGraphQL(world, caller, scenario.call);
    expected(scenario, world)(rest);
    expected(scenario, world)(graphql);
    expect(graphql).toEqual(rest);
    // Reading changes nothing: no charge was attempted, whatever the key.
    expect(world.billing.requests).toEqual([]);
    expect(world.chargeLedger.rows).toEqual([]);
  });
});

describe('the read side after real charges', () => {
  it('lists what the create charged, newest first, with the fields the create answered', async () => {
    const world = buildHttpWorld();
    const created = [];
    for (const [n, extra] of [[1, {}], [2, { mode: 'subscription', price: 'price_monthly' }], [3, {}]] as const) {
      world.clock.advance(1_000);
      const response = await world.app.inject({
        method: 'POST', url: `/api/v1/tenants/${TENANTS.pays}/stripe-invoices`,
        headers: { ...CALLERS.write, 'idempotency-key': `order-${n}` }, payload: body({ quantity: n, ...extra }),
      });
      created.push(response.json().data);
    }
    world.clock.advance(1_000);
    const declined = await world.app.inject({ method: 'POST', url: `/api/v1/tenants/${TENANTS.declines}/stripe-invoices`, headers: CALLERS.write, payload: body() });
    expect(declined.statusCode).toBe(402);

    const list = await overRest(world, 'read', { kind: 'list' });
    expect(list).toEqual({ data: { ids: created.map((data) => data.invoice.id).reverse(), hasMore: false } });
    const newest = await world.app.inject({ method: 'GET', url: `/api/v1/tenants/${TENANTS.pays}/stripe-invoices/${created[2].invoice.id}`, headers: CALLERS.read });
    expect(newest.json().data.invoice).toMatchObject({
      ...created[2].invoice, status: 'paid', paymentStatus: 'succeeded', mode: 'payment', amountPaid: created[2].invoice.total,
      amountRefunded: 0, paymentIntentId: created[2].paymentIntents.id, subscriptionId: null, idempotencyKey: 'order-3',
    });
    const subscription = (await overRest(world, 'read', { kind: 'get', invoiceId: created[1].invoice.id })) as { data: Record<string, unknown> };
    expect(subscription.data).toMatchObject({ mode: 'subscription', subscriptionId: created[1].subscription.id });
    const voided = await overRest(world, 'read', { kind: 'list', tenantId: TENANTS.declines });
    const [declinedId] = (voided as { data: { ids: string[] } }).data.ids;
    expect(await overRest(world, 'read', { kind: 'get', tenantId: TENANTS.declines, invoiceId: declinedId! })).toMatchObject({
      data: { status: 'void', paymentStatus: 'failed', amountPaid: 0 },
    });
  });
});
