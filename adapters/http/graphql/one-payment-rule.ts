import { GraphQLError, Kind, type ValidationRule } from 'graphql';

/**
 * At most one `createStripeInvoice` per request, aliases and fragments included: one Idempotency-Key must never
 * stand for two charges, and one request should not start several.
 */
export const onePaymentPerRequest: ValidationRule = (context) => {
  let seen = 0;
  return {
    [Kind.FIELD](node) {
      if (node.name.value !== 'createStripeInvoice') return;
      seen += 1;
      if (seen === 2) context.reportError(new GraphQLError('Only one createStripeInvoice is allowed per request.', { nodes: [node] }));
    },
  };
};
