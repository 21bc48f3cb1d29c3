import Stripe from 'stripe';

/**
 * The official SDK pointed at an emulator: plain HTTP on its host and port, no telemetry, and none of the SDK's own
 * retries, so that each answer (a fault included) is seen as the emulator gave it.
 */
export function emulatorClient(baseUrl: string, apiKey = 'sk_test_chosen_per_request', timeoutMs = 10_000): Stripe {
  const url = new URL(baseUrl);
  return new Stripe(apiKey, { host: url.hostname, port: url.port, protocol: 'http', telemetry: false, maxNetworkRetries: 0, timeout: timeoutMs });
}
