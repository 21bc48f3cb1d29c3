import type { InvoiceCharged } from '../../application/invoice-charged';

/** The first answer as a retry with the same Idempotency-Key gets it: the same data, marked as a replay. */
export function replayOf(first: InvoiceCharged): InvoiceCharged {
  expect(first.replayed).toBeUndefined();
  return { ...first, replayed: true };
}
