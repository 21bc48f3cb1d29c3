import type { SendResult, WebhookSender } from '../../application/outbound/outbound-ports';
import { targetRefusal, type TargetRules } from './target-policy';

const KEPT = 2_048;

/** Reads `Retry-After` given in seconds (the form receivers send); a date or nonsense is ignored. */
function retryAfterSeconds(header: string | null): number | null {
  if (header === null || !/^\d{1,6}$/.test(header.trim())) return null;
  return Number(header.trim());
}

/** Delivers over HTTP with fetch: no redirects followed (a 3xx is a failure), a timeout, the first 2 KB of the answer kept. */
export class FetchWebhookSender implements WebhookSender {
  constructor(private readonly rules: TargetRules) {}

  refusal(url: string): Promise<string | undefined> {
    return targetRefusal(url, this.rules);
  }

  async send(request: { url: string; headers: Record<string, string>; body: string; timeoutMs: number }): Promise<SendResult> {
    const refusal = await this.refusal(request.url);
    if (refusal) return { kind: 'refused', reason: refusal };
    const started = performance.now();
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: { 'user-agent': 'tenant-stripe-invoices (Standard Webhooks)', ...request.headers },
        body: request.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(request.timeoutMs),
      });
      const body = (await response.text()).slice(0, KEPT);
      return { kind: 'answered', status: response.status, body, retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after')), durationMs: performance.now() - started };
    } catch (error) {
      const reason = error instanceof Error ? (error.name === 'TimeoutError' ? `no answer within ${request.timeoutMs} ms` : error.message) : String(error);
      return { kind: 'unreachable', error: reason, durationMs: performance.now() - started };
    }
  }
}
