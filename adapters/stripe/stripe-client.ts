import http from 'node:http';
import https from 'node:https';
import Stripe from 'stripe';

export interface StripeEndpoint {
  /** `https://api.stripe.com` unless pointed elsewhere (the emulator, a proxy). */
  baseUrl: string;
  timeoutMs: number;
}

export const STRIPE_API = 'https://api.stripe.com';

/**
 * One SDK client for every app: the secret key is chosen per request. The SDK's own retries are off
 * (`maxNetworkRetries: 0`): the adapter retries itself, 429 included, always under its own idempotency keys.
 */
export function createStripeClient(endpoint: StripeEndpoint): Stripe {
  const url = new URL(endpoint.baseUrl);
  const secure = url.protocol === 'https:';
  const agentOptions = { keepAlive: true, maxSockets: 256 };
  return new Stripe('sk_chosen_per_request', {
    host: url.hostname,
    port: url.port || (secure ? 443 : 80),
    protocol: secure ? 'https' : 'http',
    httpAgent: secure ? new https.Agent(agentOptions) : new http.Agent(agentOptions),
    maxNetworkRetries: 0,
    timeout: endpoint.timeoutMs,
    telemetry: false,
    appInfo: { name: 'tenant-stripe-invoices' },
  });
}
