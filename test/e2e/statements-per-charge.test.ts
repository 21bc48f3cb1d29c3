import { startLiveService, type LiveService } from '../support/live-service';

// How many SQL statements one charge costs the store, counted as Kysely runs them (the pieces of the exactly-once
// and audit promises: key and tenant lookups, the idempotency claim, the ledger row, a recovery point before each
// Stripe step, the invoice row with its outbox, the final answer; begin and commit included). The budget keeps it
// from creeping up. Before the tenant was read with its members in one statement and a new invoice row was
// inserted without a read first: 17, 15 and 3.

const BUDGET = { payment: 15, subscription: 13, replay: 3 };
let live: LiveService;
let statements: string[] | undefined;

beforeAll(async () => {
  live = await startLiveService({ observeQuery: (sql) => statements?.push(sql) });
}, 60_000);
afterAll(() => live?.close());

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
      `statements per charge: one-off ${payment.length}, subscription ${subscription.length}, replay ${replay.length}\n` +
        payment.map((sql, n) => `  ${n + 1}. ${sql.slice(0, 110)}`).join('\n'),
    );
    expect(payment.length).toBeLessThanOrEqual(BUDGET.payment);
    expect(subscription.length).toBeLessThanOrEqual(BUDGET.subscription);
    expect(replay.length).toBeLessThanOrEqual(BUDGET.replay);
  }, 60_000);
});
