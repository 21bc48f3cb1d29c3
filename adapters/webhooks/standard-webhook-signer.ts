import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WebhookSigner } from '../../application/outbound/outbound-ports';
import { Secret } from '../../application/secret';

/** Standard Webhooks v1 with the specification's own package: the receiving app verifies with the same one. */
export class StandardWebhookSigner implements WebhookSigner {
  sign(secrets: Secret[], id: string, timestamp: Date, body: string): string {
    // An unsigned delivery must never leave: the receiver could not tell it from a forgery.
    if (secrets.length === 0) throw new Error(`no signing secret for the delivery ${id}`);
    // One `v1,<base64>` per secret, space-separated: during a rotation's overlap either secret verifies.
    return secrets.map((secret) => new Webhook(secret.reveal()).sign(id, timestamp, body)).join(' ');
  }

  /** `whsec_` and 32 random bytes in base64, the form the package reads. */
  newSecret(): Secret {
    return new Secret(`whsec_${randomBytes(32).toString('base64')}`);
  }
}
