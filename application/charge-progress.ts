/**
 * How far a charge got at Stripe. A one-off invoice goes started → invoice_created → lines_added → paid; a
 * subscription goes started → subscription_created. Kept with the Idempotency-Key, so that a retry resumes from
 * the last point and never repeats a step.
 */
export const RECOVERY_POINTS = ['started', 'invoice_created', 'lines_added', 'paid', 'subscription_created'] as const;
export type RecoveryPoint = (typeof RECOVERY_POINTS)[number];

export interface ChargeProgress {
  point: RecoveryPoint;
  invoiceId: string | null;
  subscriptionId: string | null;
  /**
   * How many times the charge started over because Stripe no longer had its draft (someone deleted it). Every start
   * derives new Stripe idempotency keys: the old ones would replay the vanished draft.
   */
  restarts: number;
}

export const NOT_STARTED: ChargeProgress = { point: 'started', invoiceId: null, subscriptionId: null, restarts: 0 };
