import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface Received {
  event: Stripe.Event;
  signature: string;
  raw: string;
}

/**
 * A real HTTP receiver for the emulator's deliveries: verifies each with the SDK's `constructEvent` (as a Stripe
 * integration would), keeps what it accepted, and answers with the statuses queued in `answers` (then 200).
 */
export async function webhookReceiver() {
  const received: Received[] = [];
  const rejected: string[] = [];
  const answers: number[] = [];
  let secret = '';
  const verifier = new Stripe('sk_test_unused');
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const signature = String(request.headers['stripe-signature'] ?? '');
      try {
        const event = verifier.webhooks.constructEvent(raw, signature, secret);
        const status = answers.shift() ?? 200;
        if (status < 300) received.push({ event, signature, raw });
        response.writeHead(status).end();
      } catch (error) {
        rejected.push(error instanceof Error ? error.message : String(error));
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    rejected,
    answers,
    useSecret: (value: string) => (secret = value),
    types: () => received.map((entry) => entry.event.type),
    /** Waits until `done` holds for what arrived, or fails after `withinMs`. */
    async until(done: (received: Received[]) => boolean, withinMs = 5_000): Promise<void> {
      const started = Date.now();
      while (!done(received)) {
        if (Date.now() - started > withinMs) throw new Error(`not received within ${withinMs} ms: ${received.map((entry) => entry.event.type).join(', ')}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof webhookReceiver>>;
