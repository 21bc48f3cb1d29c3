import Stripe from 'stripe';
import { WebhookRejected } from '../../application/errors';
import type { WebhookVerifier } from '../../application/lifecycle/lifecycle-ports';
import type { StripeEvent } from '../../application/lifecycle/stripe-event';
import type { Secret } from '../../application/secret';
import { stripeEventOf } from './stripe-event-subject';

/** Stripe's default: a signature older than five minutes is refused, so a captured delivery cannot be replayed later. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Why the SDK refused a delivery, in a sentence for the sender (never the secret, never the expected signature). */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  if (/tolerance/i.test(message)) return `the signature is more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes old.`;
  if (/extract timestamp|signature header/i.test(message)) return 'the Stripe-Signature header cannot be read.';
  if (/No signatures found/i.test(message)) return 'the signature does not match the body (another secret, or an altered body).';
  return 'the body is not a Stripe event.';
}

/** Verifies deliveries with the SDK's own `webhooks.constructEvent` (HMAC-SHA256 over `<t>.<raw body>`). */
export class StripeWebhookVerifier implements WebhookVerifier {
  private readonly sdk = new Stripe('sk_unused_for_verification');

  constructor(private readonly toleranceSeconds = SIGNATURE_TOLERANCE_SECONDS) {}

  verify(payload: string, signatureHeader: string, secret: Secret): StripeEvent {
    let event: Stripe.Event;
    try {
      event = this.sdk.webhooks.constructEvent(payload, signatureHeader, secret.reveal(), this.toleranceSeconds);
    } catch (error) {
      throw new WebhookRejected(reasonOf(error));
    }
    if (event?.object !== 'event' || typeof event.id !== 'string' || typeof event.type !== 'string') {
      throw new WebhookRejected('the body is not a Stripe event.');
    }
    return stripeEventOf(event, payload);
  }
}
