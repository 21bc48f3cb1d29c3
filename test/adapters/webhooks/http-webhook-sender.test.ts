import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpWebhookSender, retryAfterSeconds } from '../../../adapters/webhooks/http-webhook-sender';

// The sender against a real HTTP server on loopback: what it refuses, what it keeps of an answer, how long it waits.

let server: Server;
let port: number;
let handle: (request: IncomingMessage, response: ServerResponse) => void;
const received: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(request.url ?? '');
    handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));
beforeEach(() => {
  received.length = 0;
  handle = (_request, response) => response.end('ok');
});

const send = (sender: HttpWebhookSender, url: string, timeoutMs = 2_000) => sender.send({ url, headers: { 'webhook-id': 'msg_1' }, body: '{}', timeoutMs });
const lenient = new HttpWebhookSender({ allowHttp: true, allowPrivate: true });

describe('HttpWebhookSender', () => {
  it('checks the addresses a host name resolves to when it connects: a name pointing inside is refused, and nothing is sent', async () => {
    const strict = new HttpWebhookSender({ allowHttp: true, allowPrivate: false });
    const result = await send(strict, `http://localhost:${port}/hook`);
    expect(result).toEqual({ kind: 'refused', reason: 'resolves to an address that is not public, which this deployment does not allow' });
    expect(received).toEqual([]);
    expect(await send(strict, `http://127.0.0.1:${port}/hook`)).toEqual({ kind: 'refused', reason: 'is a loopback address, which this deployment does not allow' });
    expect(received).toEqual([]);
    expect(await send(lenient, `http://localhost:${port}/hook`)).toMatchObject({ kind: 'answered', status: 200, body: 'ok' });
    expect(received).toEqual(['/hook']);
  });

  it('keeps the first 2 KB of a large answer, without reading the rest', async () => {
    handle = (_request, response) => {
      response.writeHead(500);
      const chunk = 'x'.repeat(64 * 1024);
      const write = () => {
        while (response.write(chunk));
        if (!response.destroyed) response.once('drain', write);
      };
      write();
    };
    const started = performance.now();
    const result = await send(lenient, `http://127.0.0.1:${port}/big`, 10_000);
    expect(result).toMatchObject({ kind: 'answered', status: 500 });
    expect(result.kind === 'answered' && result.body.length).toBe(2_048);
    expect(performance.now() - started).toBeLessThan(5_000); // an endless answer ends the attempt once 2 KB are in
  });

  it('does not follow a redirect, and ends an attempt that gets no answer within the timeout', async () => {
    handle = (_request, response) => response.writeHead(307, { location: '/elsewhere' }).end();
    expect(await send(lenient, `http://127.0.0.1:${port}/moved`)).toMatchObject({ kind: 'answered', status: 307 });
    expect(received).toEqual(['/moved']);
    handle = () => undefined; // never answers
    expect(await send(lenient, `http://127.0.0.1:${port}/silent`, 300)).toEqual({ kind: 'unreachable', error: 'no answer within 300 ms', durationMs: expect.any(Number) });
  });

  it('reads Retry-After in seconds and as an HTTP date', () => {
    const now = Date.parse('2026-12-02T12:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Wed, 02 Dec 2026 12:05:00 GMT', now)).toBe(300);
    expect(retryAfterSeconds('Wed, 02 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds('soon', now)).toBeNull();
    expect(retryAfterSeconds(undefined, now)).toBeNull();
  });
});
