import { inject, injectable, type ServiceIdentifier } from 'inversify';
import type { AppId } from '../domain/ids';
import { RateLimited } from './errors';
import { Clock } from './ports';

/** Requests per second each app may make on average, and how many it may make at once. 0 turns the limit off. */
export interface RateLimitPolicy {
  perSecond: number;
  burst: number;
}
export const RateLimitPolicy: ServiceIdentifier<RateLimitPolicy> = Symbol('RateLimitPolicy');

/**
 * A token bucket per app, held by this process: with several instances each applies the limit on its own, so the
 * rate an app sees is at most the instance count times the policy.
 */
@injectable()
export class RateLimit {
  private readonly buckets = new Map<AppId, { tokens: number; at: number }>();

  constructor(
    @inject(RateLimitPolicy) private readonly policy: RateLimitPolicy,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  take(appId: AppId): void {
    const { perSecond, burst } = this.policy;
    if (perSecond <= 0) return;
    const now = this.clock.now().getTime();
    const bucket = this.buckets.get(appId) ?? { tokens: burst, at: now };
    const tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
    if (tokens < 1) {
      this.buckets.set(appId, { tokens, at: now });
      throw new RateLimited(Math.max(1, Math.ceil((1 - tokens) / perSecond)));
    }
    this.buckets.set(appId, { tokens: tokens - 1, at: now });
  }
}
