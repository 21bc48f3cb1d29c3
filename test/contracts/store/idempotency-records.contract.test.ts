import { randomUUID } from 'node:crypto';
import type { FinalOutcome } from '../../../application/final-outcome';
import { NOT_STARTED } from '../../../application/charge-progress';
import type { IdempotencyClaim } from '../../../application/ports';
import {
  parseApiKeyId,
  parseAppId,
  parseIdempotencyKey,
  parseOperationId,
  parseTenantId,
  parseUserId,
  type PriceId,
  type TaxRateId,
} from '../../../domain/ids';
import { newAppId } from './store-fixtures';
import { forEachStore } from './store-worlds';

const outcome: FinalOutcome = {
  kind: 'failed',
  failure: { code: 'PAYMENT_DECLINED', reason: 'card_declined', message: 'The card was declined (generic_decline).', declineCode: 'generic_decline', invoiceId: 'in_1' },
};

const stored = {
  request: {
    tenantId: parseTenantId(randomUUID()), userId: parseUserId(randomUUID()), priceId: 'price_1' as PriceId, taxRateId: 'txr_1' as TaxRateId,
    mode: 'payment' as const, quantity: 2, test: true,
  },
  caller: { appId: parseAppId(randomUUID()), keyId: parseApiKeyId(randomUUID()), keyType: 'write' as const },
};

forEachStore('IdempotencyRecords', (world) => {
  const claimOf = (overrides: Partial<IdempotencyClaim> = {}): IdempotencyClaim => {
    const now = world().clock.now();
    return {
      appId: newAppId(),
      key: parseIdempotencyKey(`order-${randomUUID()}`),
      fingerprint: '["body",1]',
      stored,
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
    expect(await world().store.idempotencyRecords.claim(first)).toEqual({ status: 'claimed', operationId: first.operationId, leaseToken: first.leaseToken, progress: NOT_STARTED });
    expect(await world().store.idempotencyRecords.claim(retry(first))).toEqual({ status: 'in_progress', leaseUntil: first.leaseUntil });
    expect(await world().store.idempotencyRecords.claim(retry(first, { fingerprint: '["other"]' }))).toEqual({ status: 'mismatch' });
  });

  it('replays the stored outcome once completed, and still refuses another request', async () => {
    const first = claimOf();
    await world().store.idempotencyRecords.claim(first);
    await world().store.idempotencyRecords.complete({ appId: first.appId, key: first.key, leaseToken: first.leaseToken, outcome });
    expect(await world().store.idempotencyRecords.claim(retry(first))).toEqual({ status: 'completed', outcome });
    expect(await world().store.idempotencyRecords.claim(retry(first, { fingerprint: 'x' }))).toEqual({ status: 'mismatch' });
  });

  it('lets a released record be claimed again under its first operation id', async () => {
    const first = claimOf();
    await world().store.idempotencyRecords.claim(first);
    await world().store.idempotencyRecords.release(first.appId, first.key, first.leaseToken, { forget: false });
    const second = retry(first);
    expect(await world().store.idempotencyRecords.claim(second)).toEqual({ status: 'claimed', operationId: first.operationId, leaseToken: second.leaseToken, progress: NOT_STARTED });
  });

  it('forgets a record released with forget: the next claim starts afresh', async () => {
    const first = claimOf();
    await world().store.idempotencyRecords.claim(first);
    await world().store.idempotencyRecords.release(first.appId, first.key, first.leaseToken, { forget: true });
    const second = retry(first, { fingerprint: '["another request"]' });
    expect(await world().store.idempotencyRecords.claim(second)).toEqual({ status: 'claimed', operationId: second.operationId, leaseToken: second.leaseToken, progress: NOT_STARTED });
  });

  it('hands an expired lease to the next claim; the stale holder can no longer complete or release', async () => {
    const first = claimOf();
    await world().store.idempotencyRecords.claim(first);
    const later = new Date(first.leaseUntil.getTime() + 1);
    const takeover = retry(first, { now: later, leaseUntil: new Date(later.getTime() + 60_000) });
    expect(await world().store.idempotencyRecords.claim(takeover)).toMatchObject({ status: 'claimed', operationId: first.operationId });
    await world().store.idempotencyRecords.complete({ appId: first.appId, key: first.key, leaseToken: first.leaseToken, outcome });
    await world().store.idempotencyRecords.release(first.appId, first.key, first.leaseToken, { forget: true });
    expect(await world().store.idempotencyRecords.claim(retry(first, { now: later }))).toMatchObject({ status: 'in_progress' });
    await world().store.idempotencyRecords.complete({ appId: first.appId, key: first.key, leaseToken: takeover.leaseToken, outcome });
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

  it('commits recovery points for the holder only, and hands them to whoever takes over', async () => {
    const first = claimOf();
    await world().store.idempotencyRecords.claim(first);
    const progress = { point: 'lines_added' as const, invoiceId: 'in_1', subscriptionId: null, restarts: 2 };
    const renewed = new Date(first.leaseUntil.getTime() + 60_000);
    expect(await world().store.idempotencyRecords.checkpoint(first.appId, first.key, first.leaseToken, progress, renewed)).toBe(true);
    expect(await world().store.idempotencyRecords.checkpoint(first.appId, first.key, 'not-the-holder', progress, renewed)).toBe(false);
    // The checkpoint renewed the lease: at the old expiry the holder still has it.
    expect(await world().store.idempotencyRecords.claim(retry(first, { now: first.leaseUntil }))).toMatchObject({ status: 'in_progress' });
    const later = new Date(renewed.getTime() + 1);
    const takeover = retry(first, { now: later, leaseUntil: new Date(later.getTime() + 60_000) });
    expect(await world().store.idempotencyRecords.claim(takeover)).toEqual({
      status: 'claimed', operationId: first.operationId, leaseToken: takeover.leaseToken, progress,
    });
    const paid = { point: 'paid' as const, invoiceId: 'in_1', subscriptionId: null, restarts: 2 };
    expect(await world().store.idempotencyRecords.checkpoint(first.appId, first.key, first.leaseToken, paid, later)).toBe(false);
  });

  it('lists unfinished records whose lease ran out, with their request, and nothing else', async () => {
    const abandoned = claimOf();
    await world().store.idempotencyRecords.claim(abandoned);
    const progress = { point: 'subscription_created' as const, invoiceId: 'in_9', subscriptionId: 'sub_9', restarts: 0 };
    await world().store.idempotencyRecords.checkpoint(abandoned.appId, abandoned.key, abandoned.leaseToken, progress, abandoned.leaseUntil);
    const finished = claimOf();
    await world().store.idempotencyRecords.claim(finished);
    await world().store.idempotencyRecords.complete({ appId: finished.appId, key: finished.key, leaseToken: finished.leaseToken, outcome });
    const running = claimOf({ leaseUntil: new Date(abandoned.leaseUntil.getTime() + 3_600_000) });
    await world().store.idempotencyRecords.claim(running);

    const found = await world().store.idempotencyRecords.abandoned(new Date(abandoned.leaseUntil.getTime() + 1), 1000);
    const mine = found.filter((operation) => [abandoned.key, finished.key, running.key].includes(operation.key));
    expect(mine).toEqual([
      { appId: abandoned.appId, key: abandoned.key, fingerprint: abandoned.fingerprint, stored, operationId: abandoned.operationId, progress },
    ]);
  });

  it('hands out abandoned records in turns across apps, so that one app cannot crowd out another', async () => {
    const many = newAppId();
    const few = newAppId();
    const claims: IdempotencyClaim[] = [];
    for (const appId of [many, many, many, few, few]) {
      world().clock.advance(1_000);
      const claim = claimOf({ appId });
      claims.push(claim);
      await world().store.idempotencyRecords.claim(claim);
    }
    const after = new Date(world().clock.now().getTime() + 3_600_000);
    const keys = (await world().store.idempotencyRecords.abandoned(after, 10_000)).map((operation) => operation.key);
    const order = claims.map((claim) => claim.key).sort((a, b) => keys.indexOf(a) - keys.indexOf(b));
    const [m1, m2, m3, f1, f2] = claims.map((claim) => claim.key);
    expect(order).toEqual([m1, f1, m2, f2, m3]);
  });
});
