import fc from 'fast-check';

// What the fuzz sends: the classes of input the adversarial run found trouble with, and their neighbours.

/** Strings that broke, or could break, something: lone surrogates, control and format characters, big ones. */
export const nastyString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '\ud800', 'a\udc00b', '\udbff', '\u0000', 'a\u0000b', '\r\n', '\u0007', '\u202e', '\ufeff', '💳', '€😀',
    '__proto__', 'constructor', 'prototype', 'toString', '../../etc/passwd', '%ff', '%00', '<script>', "' OR 1=1 --",
    'price_a_b', 'price_', 'txr_', 'in_', '', ' ', 'x'.repeat(5_001), '😀'.repeat(5_001),
  ),
);

/** Numbers at the edges: JSON accepts them all. */
export const edgeNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, -1, 10_000, 10_001, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e308, -1e308, 5e-324, 0.5),
);

export const anyJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), nastyString, edgeNumber);

/** `[[[…]]]` or `{"a":{"a":…}}` this deep, as JSON text. */
export function nestedJson(depth: number, kind: 'array' | 'object'): string {
  return kind === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

const FIELDS = ['price', 'taxRate', 'mode', 'quantity', 'tenantId', 'userId', 'test', 'footer'] as const;

/** A request body as text: the valid one with fields changed or dropped, other JSON, broken JSON, deep or huge JSON. */
export function requestBody(valid: Record<string, unknown>): fc.Arbitrary<string> {
  const changed = fc
    .record({
      overrides: fc.dictionary(fc.constantFrom(...FIELDS), fc.option(anyJson, { nil: undefined }), { maxKeys: 3 }),
      extra: fc.option(fc.tuple(fc.oneof(nastyString, fc.constantFrom('__proto__', 'constructor', 'amount')), anyJson), { nil: undefined }),
    })
    .map(({ overrides, extra }) => {
      const body: Record<string, unknown> = { ...valid };
      for (const [field, value] of Object.entries(overrides)) {
        if (value === undefined) delete body[field];
        else body[field] = value;
      }
      const text = JSON.stringify(body);
      if (!extra) return text;
      return `${text.slice(0, -1)},${JSON.stringify(extra[0])}:${JSON.stringify(extra[1]) ?? 'null'}}`;
    });
  return fc.oneof(
    { weight: 6, arbitrary: changed },
    { weight: 1, arbitrary: anyJson.map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: fc.tuple(changed, fc.nat()).map(([text, cut]) => text.slice(0, cut % (text.length + 1))) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('array' as const, 'object' as const)).map(([depth, kind]) => `{"price":${nestedJson(depth, kind)}}`) },
    { weight: 1, arbitrary: fc.constantFrom(`{"footer":"${'x'.repeat(70_000)}"}`, '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '', ' ', 'null') },
  );
}

/** Header values a client library would send (no CR, LF or NUL: those go raw, below). */
export const headerValue = fc.oneof(
  fc.string({ maxLength: 60 }).map((text) => text.replace(/[^\x20-\x7e]/g, '')),
  fc.string({ unit: 'binary-ascii', maxLength: 60 }).map((text) => text.replace(/[\x00-\x1f\x7f]/g, '')),
  fc.constantFrom('', 'write', 'read', 'WRITE', 'tsinv_', `tsinv_${'A'.repeat(38)}`, 'x'.repeat(300), '00000000-0000-0000-0000-000000000000'),
);

export const contentType = fc.constantFrom(
  'application/json', 'application/json; charset=utf-8', 'APPLICATION/JSON', 'application/json; charset=latin1', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/graphql', 'application/xml', '',
);

export const method = fc.oneof(
  { weight: 8, arbitrary: fc.constant('POST') },
  { weight: 2, arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD') },
);

/** A path segment where the tenant id goes. */
export const tenantSegment = (valid: string) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.constant(valid) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: nastyString.map((text) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '')) || 'x') },
    { weight: 1, arbitrary: fc.constantFrom('%ff', '%', '..', '%2e%2e', 'a'.repeat(300), valid.toUpperCase(), `${valid}%00`) },
  );

/** Requests no well-behaved client sends, as raw bytes: odd methods and targets, broken headers and framing. */
export const rawRequest = fc.oneof(
  fc.tuple(fc.constantFrom('FOO', 'M-SEARCH', 'PRI', 'get', 'CONNECT', 'TRACE', 'GET\u0000'), fc.constantFrom('/', '*', '/graphql', '//x', '/api/v1/tenants/x/stripe-invoices'))
    .map(([verb, target]) => `${verb} ${target} HTTP/1.1\r\nHost: x\r\n\r\n`),
  fc.constantFrom('/%', '/%ff', '/\u007f', `/${'a'.repeat(9_000)}`, 'http://evil.example/healthz', '/api/v1/tenants/%00/stripe-invoices', '/graphql?query=%ff')
    .map((target) => `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`),
  fc.constantFrom('X-A: a\rb', 'X-A: a\nb', 'X-A: a\u0000b', 'Content-Type: application/js\u0000on', 'Bad Header: x', `X-Big: ${'a'.repeat(20_000)}`, 'Content-Length: -1', 'Content-Length: abc', 'Transfer-Encoding: chunked')
    .map((header) => `POST /api/v1/tenants/x/stripe-invoices HTTP/1.1\r\nHost: x\r\n${header}\r\n\r\nzz\r\n`),
  fc.constantFrom('GET /healthz HTTP/1.1\r\n\r\n', 'GET /healthz\r\n\r\n', 'GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n', 'hello\r\n\r\n', '\r\n\r\n'),
);

/** A GraphQL value literal, maybe wrong for where it goes. */
const graphqlValue: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    nastyString.map((text) => JSON.stringify(text)),
    edgeNumber.map(String),
    fc.constantFrom('true', 'false', 'null', 'payment', 'subscription', '$v', '"price_fuzzOnce"', '"txr_fuzzVat"', 'NaN', '1e999'),
    fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
    fc.dictionary(fc.constantFrom('price', 'taxRate', 'mode', 'quantity', 'userId', 'test', 'footer', 'x'), tie('value'), { maxKeys: 4 })
      .map((fields) => `{ ${Object.entries(fields).map(([name, value]) => `${name}: ${value}`).join(', ')} }`),
  ),
})).value;

const selection = fc.constantFrom(
  '__typename', '__typename ... on CreateStripeInvoiceSuccess { status paymentIntent { id } }', '... on Error { code message }',
  '... on ValidationFailedError { issues { path message } }', 'nothing', '__typename a: __typename',
);

/** A GraphQL request body: documents from the schema's words with values of any kind, and broken or hostile ones. */
export function graphqlRequest(valid: { tenantId: string; input: Record<string, unknown> }): fc.Arbitrary<Record<string, unknown> | string> {
  const mutation = fc.tuple(graphqlValue, graphqlValue, fc.option(graphqlValue, { nil: undefined }), fc.array(selection, { minLength: 1, maxLength: 3 }))
    .map(([tenant, input, key, fields]) => ({
      query: `mutation { createStripeInvoice(tenantId: ${tenant}, input: ${input}${key ? `, idempotencyKey: ${key}` : ''}) { ${fields.join(' ')} } }`,
    }));
  const withVariables = fc.record({ input: fc.option(anyJson, { nil: undefined }), tenant: fc.option(anyJson, { nil: undefined }), key: fc.option(anyJson, { nil: undefined }) })
    .map(({ input, tenant, key }) => ({
      query: 'mutation($t: ID!, $i: CreateStripeInvoiceInput!, $k: String) { createStripeInvoice(tenantId: $t, input: $i, idempotencyKey: $k) { __typename ... on Error { code } } }',
      variables: { t: tenant ?? valid.tenantId, i: input ?? valid.input, ...(key === undefined ? {} : { k: key }) },
    }));
  const hostile = fc.oneof(
    fc.integer({ min: 1, max: 6_000 }).map((depth) => ({ query: `{ apiVersion(a: ${'['.repeat(depth)}${']'.repeat(depth)}) }` })),
    fc.integer({ min: 1, max: 3_000 }).map((depth) => ({ query: `query ${'{ a '.repeat(depth)}${'}'.repeat(depth)}` })),
    fc.integer({ min: 2, max: 20 }).map((count) => ({ query: `mutation { ${Array.from({ length: count }, (_, n) => `m${n}: createStripeInvoice(tenantId: "x", input: {}) { __typename }`).join(' ')} }` })),
    fc.integer({ min: 1, max: 3_000 }).map((count) => ({ query: `{ ${'apiVersion '.repeat(count)}}` })),
    fc.constantFrom(
      { query: '{ __schema { types { name fields { name } } } }' },
      { query: 'query { apiVersion } mutation { createStripeInvoice }' },
      { query: '{ apiVersion }', operationName: 'Nope' },
      { query: 'fragment F on Query { ...F } { ...F }' },
      { query: null }, { query: 42 }, { variables: {} }, {},
    ),
    fc.string({ unit: 'binary', maxLength: 120 }).map((query) => ({ query })),
  );
  return fc.oneof(
    { weight: 4, arbitrary: mutation },
    { weight: 3, arbitrary: withVariables },
    { weight: 1, arbitrary: fc.constant({ query: '{ apiVersion }' }) },
    { weight: 3, arbitrary: hostile },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 80 }), anyJson.map((value) => JSON.stringify(value) ?? 'null')) },
  );
}
