import { createGraphQLError } from 'graphql-yoga';
import { INVOICE_STATUSES, PAYMENT_STATUSES, SUBSCRIPTION_STATUSES, type InvoiceRecord } from '../../../application/invoice-record';
import { PREVIEW_STRIPE_INVOICE_ERRORS, type InvoicePreview } from '../../../application/preview-stripe-invoice';
import { MAX_PAGE, READ_INVOICES_ERRORS } from '../../../application/read-invoices';
import { builder } from './builder';
import { CreateStripeInvoiceInput, InvoiceMode, withoutNulls } from './inputs';

const InvoiceStatus = builder.enumType('InvoiceStatus', { values: INVOICE_STATUSES });
const PaymentStatus = builder.enumType('PaymentStatus', { values: PAYMENT_STATUSES });
const SubscriptionStatus = builder.enumType('SubscriptionStatus', { values: SUBSCRIPTION_STATUSES });

/** A tenant's invoice as the service keeps it: the REST read API's `Invoice`. */
const TenantInvoice = builder.objectRef<InvoiceRecord>('TenantInvoice').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    number: t.exposeString('number', { nullable: true }),
    status: t.field({ type: InvoiceStatus, resolve: (invoice) => invoice.status }),
    paymentStatus: t.field({ type: PaymentStatus, resolve: (invoice) => invoice.paymentStatus }),
    mode: t.field({ type: InvoiceMode, resolve: (invoice) => invoice.mode }),
    livemode: t.exposeBoolean('livemode'),
    currency: t.exposeString('currency'),
    subtotal: t.exposeFloat('subtotal', { description: "In the currency's smallest unit." }),
    tax: t.exposeFloat('tax'),
    total: t.exposeFloat('total'),
    amountPaid: t.exposeFloat('amountPaid'),
    amountRefunded: t.exposeFloat('amountRefunded'),
    hostedInvoiceUrl: t.exposeString('hostedInvoiceUrl', { nullable: true }),
    invoicePdf: t.exposeString('invoicePdf', { nullable: true }),
    paymentIntentId: t.exposeString('paymentIntentId', { nullable: true }),
    subscriptionId: t.exposeString('subscriptionId', { nullable: true }),
    subscriptionStatus: t.field({ type: SubscriptionStatus, nullable: true, resolve: (invoice) => invoice.subscriptionStatus }),
    billingReason: t.exposeString('billingReason', { nullable: true, description: 'manual, subscription_create, or subscription_cycle (a renewal).' }),
    tenantId: t.exposeID('tenantId'),
    userId: t.exposeID('userId'),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    createdAt: t.string({ description: 'ISO 8601', resolve: (invoice) => invoice.createdAt.toISOString() }),
    updatedAt: t.string({ description: 'ISO 8601', resolve: (invoice) => invoice.updatedAt.toISOString() }),
  }),
});

const PreviewLine = builder.objectRef<InvoicePreview['lines'][number]>('InvoicePreviewLine').implement({
  fields: (t) => ({
    price: t.exposeString('price'),
    quantity: t.exposeInt('quantity'),
    unitAmount: t.exposeFloat('unitAmount'),
    amount: t.exposeFloat('amount'),
    tax: t.exposeFloat('tax'),
  }),
});

const PreviewTaxRate = builder.objectRef<InvoicePreview['taxRate']>('InvoicePreviewTaxRate').implement({
  fields: (t) => ({ id: t.exposeString('id'), percentage: t.exposeFloat('percentage'), inclusive: t.exposeBoolean('inclusive') }),
});

const InvoicePreviewType = builder.objectRef<InvoicePreview>('InvoicePreview').implement({
  description: 'What createStripeInvoice would charge for the same input; nothing is created or stored.',
  fields: (t) => ({
    currency: t.exposeString('currency'),
    subtotal: t.exposeFloat('subtotal'),
    tax: t.exposeFloat('tax'),
    total: t.exposeFloat('total'),
    lines: t.field({ type: [PreviewLine], resolve: (preview) => preview.lines }),
    taxRate: t.field({ type: PreviewTaxRate, resolve: (preview) => preview.taxRate }),
    mode: t.field({ type: InvoiceMode, resolve: (preview) => preview.mode }),
    livemode: t.exposeBoolean('livemode'),
  }),
});

/** An error of a field that is no union (a connection's): its code and sentence, as a GraphQL error, not masked. */
function asGraphQLError(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && error instanceof Error ? createGraphQLError(error.message, { extensions: { code } }) : error;
}

const Tenant = builder.objectRef<{ id: string }>('Tenant').implement({
  fields: (t) => ({
    id: t.exposeID('id'),
    invoices: t.connection({
      type: TenantInvoice,
      description: `The tenant's invoices, newest first, at most ${MAX_PAGE} at a time (first or last, default 10).`,
      args: {
        test: t.arg.boolean({ description: 'true: test-mode invoices; false (default): live ones.' }),
        status: t.arg({ type: InvoiceStatus }),
        userId: t.arg.id(),
      },
      resolve: async (tenant, args, context) => {
        const backwards = (args.before ?? args.last ?? null) !== null;
        const query = withoutNulls({
          test: args.test,
          status: args.status,
          userId: args.userId === null || args.userId === undefined ? undefined : String(args.userId),
          limit: args.last ?? args.first,
          startingAfter: args.after,
          endingBefore: args.before,
        });
        const page = await context.useCases.invoices.list(context.caller, tenant.id, query).catch((error: unknown) => {
          throw asGraphQLError(error);
        });
        const edges = page.invoices.map((invoice) => ({ cursor: invoice.id, node: invoice }));
        return {
          edges,
          pageInfo: {
            startCursor: edges[0]?.cursor ?? null,
            endCursor: edges.at(-1)?.cursor ?? null,
            hasNextPage: backwards ? (args.before ?? null) !== null : page.hasMore,
            hasPreviousPage: backwards ? page.hasMore : (args.after ?? null) !== null,
          },
        };
      },
    }),
  }),
});

builder.queryFields((t) => ({
  tenant: t.field({
    type: Tenant,
    description: 'A tenant of the calling app (read or write key), to list its invoices.',
    args: { id: t.arg.id({ required: true }) },
    errors: { types: [...READ_INVOICES_ERRORS], directResult: true, union: { name: 'TenantResult' } },
    resolve: (_root, args, context) => context.useCases.invoices.tenant(context.caller, String(args.id)),
  }),
  invoice: t.field({
    type: TenantInvoice,
    description: 'One invoice of a tenant; an unknown one, and another tenant\'s or app\'s, are the same NotFoundError.',
    args: { tenantId: t.arg.id({ required: true }), id: t.arg.id({ required: true }) },
    errors: { types: [...READ_INVOICES_ERRORS], directResult: true, union: { name: 'InvoiceResult' } },
    resolve: (_root, args, context) => context.useCases.invoices.get(context.caller, String(args.tenantId), String(args.id)),
  }),
  previewStripeInvoice: t.field({
    type: InvoicePreviewType,
    description: 'What createStripeInvoice would charge for this input (read or write key); creates and stores nothing.',
    args: { tenantId: t.arg.id({ required: true }), input: t.arg({ type: CreateStripeInvoiceInput, required: true }) },
    errors: { types: [...PREVIEW_STRIPE_INVOICE_ERRORS], directResult: true, union: { name: 'PreviewStripeInvoiceResult' } },
    resolve: (_root, args, context) =>
      context.useCases.previewStripeInvoice.execute({ caller: context.caller, tenantId: String(args.tenantId), input: withoutNulls(args.input) }),
  }),
}));
