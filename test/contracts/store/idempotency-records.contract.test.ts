import { randomUUID } from 'node:crypto';
import type { FinalOutcome } from '../../../application/invoice-charged';
import type { IdempotencyClaim } from '../../../application/ports';
import { parseIdempotencyKey, parseOperationId } from '../../../domain/ids';
import { newAppId } from './store-fixtures';
import { forEachStore } from './store-worlds';

const outcome: FinalOutcome = {
  kind: 'failed',
  failure: { code: 'PAYMENT_DECLINED', reason: 'card_declined', message: 'The card was declined (generic_decline).', declineCode: 'generic_decline', invoiceId: 'in_1' },
};

forEachStore('IdempotencyRecords', (world) => {
  const claimOf = (overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim => {
    const now = world().clock.now();
    return {
      appId: newAppId(),
      key: parseIdempotencyKey(`order-${randomUUID()}`),
      fingerprint: '["body",1]',
      operationId: parseOperationId(randomUUID()),
      leaseToken: randomUUID(),
      now,
      leaseUntil: new Date(now.getTime() + 60_000),
      ...overrides,
    };
  };
  const retry = (first: IdempotencyClaim, overrides: Partial<IdempotencyClaim> = {}) =>
    claimOf({ appId: first.appId, key: first.key, ...overrides });

  it('claims a new key, then answers in progress, or mismatch for another request', async () => {
    const first = claimOf();
    expect(await world().store.idempotencyRecords.claim(first)).toEqual({ status: 'claimed', operationId: first.operationId, leaseToken: first.leaseToken });
    expect(await world().store.idempotencyRecords.claim(retry(first))).toEqual({ status: 'in_progress', leaseUntil: first.leaseUntil });
    expect(await world().store.idempotencyRecords.claim(retry(first, { fingerprint: '["other"]' }))).toEqual({ status: 'mismatch' });
  });

  it('replays the stored outcome once completed, and still refuses another request', async () => {
    const first = claimOf();
    await world().store.idempotencyRecords.claim(first);
    await world().store.idempotencyRecords.complete(first.appId, first.key, first.leaseToken, outcome);
    expect(await world().store.idempotencyRecords.claim(retry(first))).toEqual({ status: 'completed', outcome });
    expect(await world().store.idempotencyRecords.claim(retry(first, { fingerprint: 'x' }))).toEqual({ status: 'mismatch' });
  });

  it('lets a released record be claimed again under its first operation id', async () => {
    const first = claimOf();
    await world().store.idempotencyRecords.claim(first);
    await world().store.idempotencyRecords.release(first.appId, first.key, first.leaseToken, { forget: false });
    const second = retry(first);
    expect(await world().store.idempotencyRecords.claim(second)).toEqual({ status: 'claimed', operationId: first.operationId, leaseToken: second.leaseToken });
  });

  it('forgets a record released with forget: the next claim starts afresh', async () => {
    const first = claimOf();
    await world().store.idempotencyRecords.claim(first);
    await world().store.idempotencyRecords.release(first.appId, first.key, first.leaseToken, { forget: true });
    const second = retry(first, { fingerprint: '["another request"]' });
    expect(await world().store.idempotencyRecords.claim(second)).toEqual({ status: 'claimed', operationId: second.operationId, leaseToken: second.leaseToken });
  });

  it('hands an expired lease to the next claim; the stale holder can no longer complete or release', async () => {
    const first = claimOf();
    await world().store.idempotencyRecords.claim(first);
    const later = new Date(first.leaseUntil.getTime() + 1);
    const takeover = retry(first, { now: later, leaseUntil: new Date(later.getTime() + 60_000) });
    expect(await world().store.idempotencyRecords.claim(takeover)).toMatchObject({ status: 'claimed', operationId: first.operationId });
    await world().store.idempotencyRecords.complete(first.appId, first.key, first.leaseToken, outcome);
    await world().store.idempotencyRecords.release(first.appId, first.key, first.leaseToken, { forget: true });
    expect(await world().store.idempotencyRecords.claim(retry(first, { now: later }))).toMatchObject({ status: 'in_progress' });
    await world().store.idempotencyRecords.complete(first.appId, first.key, takeover.leaseToken, outcome);
    expect(await world().store.idempotencyRecords.claim(retry(first, { now: later }))).toEqual({ status: 'completed', outcome });
  });

  it('scopes keys per app', async () => {
    const first = claimOf();
    await world().store.idempotencyRecords.claim(first);
    const otherApp = claimOf({ key: first.key, fingerprint: '["different"]' });
    expect(await world().store.idempotencyRecords.claim(otherApp)).toMatchObject({ status: 'claimed', operationId: otherApp.operationId });
  });

  it('gives exactly one winner among 50 concurrent claims of one key', async () => {
    const base = claimOf();
    const claims = Array.from({ length: 50 }, () => retry(base, { operationId: parseOperationId(randomUUID()), leaseToken: randomUUID() }));
    const results = await Promise.all(claims.map((claim) => world().store.idempotencyRecords.claim(claim)));
    expect(results.filter((result) => result.status === 'claimed')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'in_progress')).toHaveLength(49);
  });
});
