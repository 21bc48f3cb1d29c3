import type { SendResult, WebhookSender } from '../../application/outbound/outbound-ports';

/** A receiver in memory: keeps every request and answers with the queued results (then 200). */
export class RecordingWebhookSender implements WebhookSender {
  readonly sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  readonly answers: SendResult[] = [];
  refused = new Set<string>();

  async refusal(url: string): Promise<string | undefined> {
    return this.refused.has(url) ? 'not allowed here' : undefined;
  }

  async send(request: { url: string; headers: Record<string, string>; body: string }): Promise<SendResult> {
    this.sent.push({ url: request.url, headers: request.headers, body: request.body });
    return this.answers.shift() ?? { kind: 'answered', status: 200, body: 'ok', retryAfterSeconds: null, durationMs: 1 };
  }
}
