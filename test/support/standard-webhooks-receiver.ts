import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { eventually } from './eventually';

export interface Delivered {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  event: { type: string; timestamp: string; data: Record<string, any> };
}

/**
 * A real HTTP receiver, as an app would run one: it verifies every delivery with the `standardwebhooks` package
 * and the endpoint's secret, answers with the queued statuses (then 200), and keeps what it accepted.
 */
export async function standardWebhooksReceiver() {
  const accepted: Delivered[] = [];
  const requests: { id: string; status: number }[] = [];
  const refused: string[] = [];
  const answers: number[] = [];
  let secret = '';
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': String(request.headers['webhook-id']), 'webhook-timestamp': String(request.headers['webhook-timestamp']), 'webhook-signature': String(request.headers['webhook-signature']) };
      let event: Delivered['event'];
      try {
        event = new Webhook(secret).verify(body, headers) as Delivered['event'];
      } catch (error) {
        refused.push(error instanceof Error ? error.message : String(error));
        response.writeHead(400).end();
        return;
      }
      const status = answers.shift() ?? 200;
      requests.push({ id: headers['webhook-id'], status });
      if (status >= 200 && status < 300) accepted.push({ id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'], body, event });
      response.writeHead(status, status === 503 ? { 'retry-after': '0' } : {}).end(status === 200 ? 'thanks' : 'not now');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/billing-events`;
  return {
    url,
    accepted,
    requests,
    refused,
    answers,
    useSecret: (value: string) => (secret = value),
    until: (done: () => boolean, withinMs = 10_000) => eventually(done, { withinMs, everyMs: 20, seen: () => requests }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type StandardWebhooksReceiver = Awaited<ReturnType<typeof standardWebhooksReceiver>>;
