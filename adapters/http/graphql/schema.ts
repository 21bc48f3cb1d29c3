import { lexicographicSortSchema, printSchema } from 'graphql';
import { describeCharge, type InvoiceCharged } from '../../../application/invoice-charged';
import type { BilledInvoice, PaymentIntentView, StartedSubscription } from '../../../application/billing-provider';
import { builder } from './builder';
import { EXPECTED_ERRORS } from './error-types';
import { ChargeStatus, CreateStripeInvoiceInput, withoutNulls } from './inputs';
import './read-schema';

builder.scalarType('JSON', {
  description: 'Any JSON value: here, Stripe objects exactly as Stripe returned them.',
  serialize: (value) => value,
  parseValue: (value) => value,
});

const PaymentIntent = builder.objectRef<PaymentIntentView>('PaymentIntent').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    status: t.exposeString('status'),
    amount: t.exposeInt('amount'),
    currency: t.exposeString('currency'),
    clientSecret: t.exposeString('clientSecret', { nullable: true }),
    object: t.field({ type: 'JSON', description: "Stripe's PaymentIntent object as Stripe returned it.", resolve: (intent) => intent.object }),
  }),
});

const Invoice = builder.objectRef<BilledInvoice>('Invoice').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    number: t.exposeString('number', { nullable: true }),
    status: t.exposeString('status'),
    currency: t.exposeString('currency'),
    subtotal: t.exposeFloat('subtotal', { description: "In the currency's smallest unit." }),
    tax: t.exposeFloat('tax'),
    total: t.exposeFloat('total'),
    hostedInvoiceUrl: t.exposeString('hostedInvoiceUrl', { nullable: true }),
    invoicePdf: t.exposeString('invoicePdf', { nullable: true }),
    livemode: t.exposeBoolean('livemode'),
  }),
});

const Subscription = builder.objectRef<StartedSubscription>('Subscription').implement({
  fields: (t) => ({ id: t.exposeString('id'), status: t.exposeString('status') }),
});

const CreateStripeInvoiceSuccess = builder.objectRef<InvoiceCharged>('CreateStripeInvoiceSuccess').implement({
  fields: (t) => ({
    status: t.field({ type: ChargeStatus, resolve: (result) => result.status }),
    message: t.string({ resolve: (result) => describeCharge(result) }),
    paymentIntent: t.field({ type: PaymentIntent, nullable: true, resolve: (result) => result.paymentIntent }),
    invoice: t.field({ type: Invoice, resolve: (result) => result.invoice }),
    subscription: t.field({ type: Subscription, nullable: true, resolve: (result) => result.subscription }),
  }),
});

builder.queryType({
  fields: (t) => ({
    apiVersion: t.string({ description: 'The version of this API.', resolve: () => '1' }),
  }),
});

builder.mutationType({
  fields: (t) => ({
    createStripeInvoice: t.field({
      type: CreateStripeInvoiceSuccess,
      description: "Creates a Stripe invoice (or subscription) for the tenant and charges its default payment method, exactly once per idempotencyKey.",
      args: {
        tenantId: t.arg.id({ required: true }),
        input: t.arg({ type: CreateStripeInvoiceInput, required: true }),
        idempotencyKey: t.arg.string({ description: '1–255 printable ASCII characters; a retry with the same key replays the first answer.' }),
      },
      errors: { types: EXPECTED_ERRORS, directResult: true, union: { name: 'CreateStripeInvoiceResult' } },
      resolve: (_root, args, context) =>
        context.useCases.createStripeInvoice.execute({
          caller: context.caller,
          tenantId: String(args.tenantId),
          input: withoutNulls(args.input),
          idempotencyKey: args.idempotencyKey ?? undefined,
        }),
    }),
  }),
});

export const schema = builder.toSchema();

/** The schema as committed in schema.graphql (`npm run schema` writes it; a test fails when it is stale). */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
