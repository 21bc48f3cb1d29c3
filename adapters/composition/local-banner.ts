import type { LocalCredentials, LocalSetup } from './local-mode';

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function headers(credentials: LocalCredentials): string[] {
  return [
    `-H 'Content-Type: application/json'`,
    `-H 'X-API-KEY: ${credentials.writeKey}'`,
    `-H 'X-API-KEY-TYPE: write'`,
    `-H 'X-CLIENT-ID: ${credentials.clientId}'`,
  ];
}

/** A curl command that charges the paying tenant's test customer over REST: it answers 201, status succeeded. */
export function restExample(credentials: LocalCredentials, tenant: keyof LocalCredentials['tenants'] = 'pays'): string {
  const { tenantId, userId } = credentials.tenants[tenant];
  const body = { price: credentials.priceOneTime, taxRate: credentials.taxRate, mode: 'payment', quantity: 1, userId, test: true };
  return [
    `curl -sS -X POST ${credentials.baseUrl}/api/v1/tenants/${tenantId}/stripe-invoices`,
    ...headers(credentials),
    `-d ${shellQuote(JSON.stringify(body))}`,
  ].join(' \\\n  ');
}

export const GRAPHQL_MUTATION =
  'mutation Charge($tenantId: ID!, $input: CreateStripeInvoiceInput!) { createStripeInvoice(tenantId: $tenantId, input: $input) ' +
  '{ __typename ... on CreateStripeInvoiceSuccess { status message paymentIntent { id status amount } invoice { id total } } ' +
  '... on Error { code message } } }';

/** What GraphiQL opens with in local mode: the paying tenant's invoices, a preview, and the charge. */
export function graphiqlOperations(setup: LocalSetup): string {
  const { tenantId, userId } = setup.tenants.pays;
  const input = `{ price: "${setup.priceOneTime}", taxRate: "${setup.taxRate}", mode: payment, quantity: 1, userId: "${userId}", test: true }`;
  return `# The paying tenant's test-mode invoices, newest first (run the charge below first to have one).
query Invoices {
  tenant(id: "${tenantId}") {
    __typename
    ... on Tenant {
      invoices(first: 10, test: true) {
        edges { node { id number status paymentStatus total currency createdAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
    ... on Error { code message }
  }
}

# What the charge below would cost; nothing is created.
query Preview {
  previewStripeInvoice(tenantId: "${tenantId}", input: ${input}) {
    __typename
    ... on InvoicePreview { currency subtotal tax total }
    ... on Error { code message }
  }
}

# Charge it (needs the write key, which the headers pane holds).
mutation Charge {
  createStripeInvoice(tenantId: "${tenantId}", input: ${input}) {
    __typename
    ... on CreateStripeInvoiceSuccess { status message paymentIntent { id status amount } invoice { id total } }
    ... on Error { code message }
  }
}
`;
}

/** The same charge over GraphQL. */
export function graphqlExample(credentials: LocalCredentials, tenant: keyof LocalCredentials['tenants'] = 'pays'): string {
  const { tenantId, userId } = credentials.tenants[tenant];
  const variables = {
    tenantId,
    input: { price: credentials.priceOneTime, taxRate: credentials.taxRate, mode: 'payment', quantity: 1, userId, test: true },
  };
  return [
    `curl -sS -X POST ${credentials.baseUrl}/graphql`,
    ...headers(credentials),
    `-d ${shellQuote(JSON.stringify({ query: GRAPHQL_MUTATION, variables }))}`,
  ].join(' \\\n  ');
}

export function banner(credentials: LocalCredentials, files: { credentials: string; reused: boolean }): string {
  const { tenants } = credentials;
  return `
tenant-stripe-invoices is running in local mode (Stripe is the in-process emulator; nothing leaves this machine)

  API             ${credentials.baseUrl}/api/v1/tenants/:tenantId/stripe-invoices
  API reference   ${credentials.baseUrl}/api/v1/docs
  GraphiQL        ${credentials.baseUrl}/graphql
  Stripe emulator ${credentials.stripeEmulatorUrl}   (stats: ${credentials.stripeEmulatorUrl}/_emulator/stats)
  Credentials     ${files.credentials}${files.reused ? '   (reused from the last run)' : '   (new)'}

  X-CLIENT-ID     ${credentials.clientId}
  write key       ${credentials.writeKey}
  read key        ${credentials.readKey}
  tenants         pays ${tenants.pays.tenantId} · declines ${tenants.declines.tenantId} · needs 3-D Secure ${tenants.requiresAction.tenantId}

Charge the paying tenant (REST):

${restExample(credentials)}

The same over GraphQL:

${graphqlExample(credentials)}
`;
}
