import http from 'node:http';
import https from 'node:https';
import type { SendResult, WebhookSender } from '../../application/outbound/outbound-ports';
import { guardedLookup, targetRefusal, urlRefusal, type TargetRules } from './target-policy';

const KEPT = 2_048;

/** `Retry-After` in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfterSeconds(header: string | undefined, now = Date.now()): number | null {
  const value = header?.trim();
  if (!value) return null;
  if (/^\d{1,9}$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1_000));
}

interface Request {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

/**
 * Delivers over node:http(s). The addresses are checked as the connection is made; redirects are not followed (a
 * 3xx is a failure); the timeout bounds the whole attempt, name resolution included; only the first 2 KB of the
 * answer is read.
 */
export class HttpWebhookSender implements WebhookSender {
  private readonly lookup;

  constructor(private readonly rules: TargetRules) {
    this.lookup = guardedLookup(rules);
  }

  refusal(url: string): Promise<string | undefined> {
    return targetRefusal(url, this.rules);
  }

  send(request: Request): Promise<SendResult> {
    const refusal = urlRefusal(request.url, this.rules);
    if (refusal) return Promise.resolve({ kind: 'refused', reason: refusal });
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    return new Promise<SendResult>((resolve) => {
      const url = new URL(request.url);
      const client = url.protocol === 'https:' ? https : http;
      const outgoing = client.request(url, {
        method: 'POST',
        headers: { 'user-agent': 'tenant-stripe-invoices (Standard Webhooks)', 'content-length': Buffer.byteLength(request.body), ...request.headers },
        lookup: this.lookup as never,
        agent: false,
      });
      const timer = setTimeout(() => outgoing.destroy(Object.assign(new Error(`no answer within ${request.timeoutMs} ms`), { code: 'ETIMEDOUT' })), request.timeoutMs);
      const finish = (result: SendResult) => {
        clearTimeout(timer);
        resolve(result);
      };
      outgoing.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ETARGETREFUSED') finish({ kind: 'refused', reason: error.message });
        else finish({ kind: 'unreachable', error: error.message, durationMs: elapsed() });
      });
      outgoing.on('response', (response) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const answered = () => {
          finish({
            kind: 'answered', status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, KEPT),
            retryAfterSeconds: retryAfterSeconds(response.headers['retry-after']), durationMs: elapsed(),
          });
          outgoing.destroy();
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk.subarray(0, KEPT - kept));
          kept += chunk.length;
          if (kept >= KEPT) answered(); // the rest is not read: a receiver cannot make the dispatcher hold megabytes
        });
        response.on('end', answered);
        response.on('error', answered);
      });
      outgoing.end(request.body);
    });
  }
}
