import { startLiveService, type LiveService } from '../support/live-service';

// How many SQL statements one charge costs the store, counted as Kysely runs them (the pieces of the exactly-once
// and audit promises: key and tenant lookups, the idempotency claim, the ledger row, a recovery point after each
// Stripe step, the settlement with its invoice row, outbox and the key's final answer; begin and commit included),
// and how many write transactions (each a commit to the WAL or the server). The budget keeps them from creeping up.
// Before the tenant was read with its members in one statement and a new invoice row was inserted without a read
// first: 17, 15 and 3 statements. Before the key's final answer joined the settlement's transaction: 7 and 5 writes.

const BUDGET = { payment: 15, subscription: 13, replay: 3 };
const WRITE_BUDGET = { payment: 6, subscription: 4 };
let live: LiveService;
let statements: string[] | undefined;

beforeAll(async () => {
  live = await startLiveService({ observeQuery: (sql) => statements?.push(sql) });
}, 60_000);
afterAll(() => live?.close());

/** Write transactions among `statements`: a begin … commit block, or one write statement outside such a block. */
function writeTransactions(statements: string[]): number {
  let count = 0;
  let inside = false;
  for (const statement of statements) {
    if (statement === 'begin') inside = true;
    else if (statement === 'commit') (inside = false), (count += 1);
    else if (!inside && /^(insert|update|delete)\b/.test(statement)) count += 1;
  }
  return count;
}

async function counted(run: () => Promise<unknown>): Promise<string[]> {
  statements = [];
  await run();
  const seen = statements;
  statements = undefined;
  return seen;
}

describe('SQL statements per charge', () => {
  it('stays within its budget for a one-off charge, a subscription and a replay', async () => {
    await live.charge('pays', { key: 'warm-up' }); // the first charge of a process also fills the catalog cache
    const payment = await counted(() => live.charge('pays', { key: 'count-payment' }));
    const subscription = await counted(() => live.charge('pays', { key: 'count-subscription', mode: 'subscription' }));
    const replay = await counted(() => live.charge('pays', { key: 'count-payment' }));
    console.info(
      `statements per charge: one-off ${payment.length}, subscription ${subscription.length}, replay ${replay.length}; ` +
        `write transactions: one-off ${writeTransactions(payment)}, subscription ${writeTransactions(subscription)}\n` +
        payment.map((sql, n) => `  ${n + 1}. ${sql.slice(0, 110)}`).join('\n'),
    );
    expect(payment.length).toBeLessThanOrEqual(BUDGET.payment);
    expect(subscription.length).toBeLessThanOrEqual(BUDGET.subscription);
    expect(replay.length).toBeLessThanOrEqual(BUDGET.replay);
    expect(writeTransactions(payment)).toBeLessThanOrEqual(WRITE_BUDGET.payment);
    expect(writeTransactions(subscription)).toBeLessThanOrEqual(WRITE_BUDGET.subscription);
  }, 60_000);
});
