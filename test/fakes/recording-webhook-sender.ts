import type { SendResult, WebhookSender } from '../../application/outbound/outbound-ports';

/** A receiver in memory: keeps every request and answers with the queued results (then 200). */
export class RecordingWebhookSender implements WebhookSender {
  readonly sent: { url: string; headers: Record<string, string>; body: string }[] = [];
  readonly answers: SendResult[] = [];
  refused = new Set<string>();
  /** Runs while a request is "on the wire", before its answer comes back. */
  beforeAnswer: ((sent: { url: string; headers: Record<string, string>; body: string }) => Promise<void>) | undefined;

  async refusal(url: string): Promise<string | undefined> {
    return this.refused.has(url) ? 'not allowed here' : undefined;
  }

  async send(request: { url: string; headers: Record<string, string>; body: string }): Promise<SendResult> {
    const sent = { url: request.url, headers: request.headers, body: request.body };
    this.sent.push(sent);
    await this.beforeAnswer?.(sent);
    return this.answers.shift() ?? { kind: 'answered', status: 200, body: 'ok', retryAfterSeconds: null, durationMs: 1 };
  }
}
