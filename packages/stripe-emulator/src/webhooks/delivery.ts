import { z } from 'zod';
import { CountedRules } from '../counted-rules';

/** Where one event stands with one endpoint. `dropped` is delivery chaos: it is never sent, as if lost. */
export interface Delivery {
  eventId: string;
  endpointId: string;
  attempts: number;
  /** When the next attempt is due (ms since the epoch). */
  nextAt: number;
  status: 'pending' | 'succeeded' | 'failed' | 'dropped';
  /** Extra copies sent with the first attempt (delivery chaos: `duplicate`). */
  copies: number;
}

export interface DeliveryLogEntry {
  seq: number;
  at: string;
  eventId: string;
  type: string;
  endpointId: string;
  url: string;
  attempt: number;
  /** The receiver's HTTP status, `error` when no answer came, `dropped` when chaos kept it from being sent. */
  status: number | 'error' | 'dropped';
  duplicate: boolean;
  durationMs: number;
}

export const CHAOS_KINDS = ['duplicate', 'drop', 'delay', 'shuffle'] as const;

/**
 * `POST /_emulator/webhooks/chaos`: what goes wrong with deliveries, how often, and for which event types.
 * `delay` holds a delivery up to `maxDelayMs` (default 2 000); `shuffle` holds each up to `maxDelayMs` (default 300)
 * so that later events overtake earlier ones; `duplicate` sends it twice; `drop` never sends it.
 */
export const ChaosRule = z.strictObject({
  kind: z.enum(CHAOS_KINDS),
  count: z.number().int().positive().optional(),
  probability: z.number().min(0).max(1).optional(),
  maxDelayMs: z.number().int().min(0).max(600_000).optional(),
  types: z.array(z.string().min(1)).optional(),
});
export type ChaosRule = z.infer<typeof ChaosRule>;

/** The chaos rules in force. */
export class DeliveryChaos extends CountedRules<ChaosRule> {
  takeFor(kind: ChaosRule['kind'], type: string, random = Math.random): ChaosRule | undefined {
    return this.take((rule) => rule.kind === kind && (!rule.types || rule.types.includes(type)), random);
  }
}
