import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import type { Caller } from '../../../application/caller';
import type { CreateStripeInvoice } from '../../../application/create-stripe-invoice';

/** What each resolver gets: the authenticated caller (the route authenticates before GraphQL runs) and the use case. */
export interface GraphQLContext {
  caller: Caller;
  createInvoice: Pick<CreateStripeInvoice, 'execute'>;
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: { JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
}>({
  // Fields are non-null unless marked nullable: clients get exact types.
  defaultFieldNullability: false,
  plugins: [ErrorsPlugin],
  errors: { defaultTypes: [] },
});
