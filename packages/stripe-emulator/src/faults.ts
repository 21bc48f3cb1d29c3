import { z } from 'zod';
import { CountedRules } from './counted-rules';

export const FAULT_KINDS = ['rate_limit', 'server_error', 'unavailable', 'reset_before', 'drop_after', 'timeout'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** `POST /_emulator/faults`: which operation (or `*`), what goes wrong, and how often. */
export const FaultRule = z.strictObject({
  operation: z.string().min(1),
  kind: z.enum(FAULT_KINDS),
  /** How many matching requests it hits (default 1); ignored when `probability` is given. */
  count: z.number().int().positive().optional(),
  /** Hits each matching request with this probability, until removed. */
  probability: z.number().min(0).max(1).optional(),
  /** For `timeout`: how long the request is held before the work is done and the answer sent. */
  delayMs: z.number().int().min(0).max(600_000).optional(),
  mode: z.enum(['live', 'test']).optional(),
});
export type FaultRule = z.infer<typeof FaultRule>;

/** The faults waiting to hit requests, in the order they were added. */
export class FaultPlan extends CountedRules<FaultRule> {
  /** The fault for this request, if one applies; a counted rule is used up by it. */
  takeFor(operation: string, mode: 'live' | 'test', random = Math.random): FaultRule | undefined {
    return this.take((rule) => (rule.operation === '*' || rule.operation === operation) && (!rule.mode || rule.mode === mode), random);
  }
}
