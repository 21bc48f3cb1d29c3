import SchemaBuilder from '@pothos/core';
import ErrorsPlugin from '@pothos/plugin-errors';
import RelayPlugin from '@pothos/plugin-relay';
import type { Caller } from '../../../application/caller';
import type { UseCases } from '../../../application/use-cases';

export type GraphQLUseCases = Pick<UseCases, 'createStripeInvoice' | 'invoices' | 'previewStripeInvoice'>;

/** What each resolver gets: the authenticated caller (the route authenticates before GraphQL runs) and the use cases. */
export interface GraphQLContext {
  caller: Caller;
  useCases: GraphQLUseCases;
}

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  Scalars: { JSON: { Input: unknown; Output: unknown } };
  DefaultFieldNullability: false;
}>({
  // Fields are non-null unless marked nullable: clients get exact types.
  defaultFieldNullability: false,
  plugins: [ErrorsPlugin, RelayPlugin],
  errors: { defaultTypes: [] },
  // Cursors are the invoice ids the REST API takes as startingAfter / endingBefore.
  relay: { clientMutationId: 'omit', cursorType: 'String' },
});
