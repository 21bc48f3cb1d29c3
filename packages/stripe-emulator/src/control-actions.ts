import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { EmulatorCore } from './emulator-core';
import { EmulatorError } from './emulator-errors';
import { invoiceOfIntent, authenticate } from './payments';
import { closeDispute, openDispute } from './refunds-and-disputes';
import { unixTime } from './object-ids';
import { ChaosRule } from './webhooks/delivery';

const Authenticate = z.strictObject({ outcome: z.enum(['succeeded', 'failed']) });
const Dispute = z.strictObject({ amount: z.number().int().positive().optional(), reason: z.string().min(1).optional() });
const CloseDispute = z.strictObject({ outcome: z.enum(['won', 'lost']) });

type Answer = (status: number, value: unknown) => void;

/** A JSON body, or the form the hosted invoice page's buttons post. */
function bodyOf(body: string): { value: unknown; fromForm: boolean } {
  const text = body.trim();
  if (text === '') return { value: {}, fromForm: false };
  if (text.startsWith('{') || text.startsWith('[')) return { value: JSON.parse(text), fromForm: false };
  return { value: Object.fromEntries(new URLSearchParams(body)), fromForm: true };
}

function parsed<T>(schema: z.ZodType<T>, value: unknown, answer: Answer): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  answer(400, { error: result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
  return undefined;
}

/**
 * What customers, cardholders and webhook networks do, played through the control surface: pass or fail 3-D Secure,
 * dispute a charge, close a dispute, and the delivery chaos and log. Answers false for a path it does not serve.
 */
export function handleActions(core: EmulatorCore, method: string, url: URL, rawBody: string, response: ServerResponse, answer: Answer): boolean {
  const path = url.pathname;
  const intentAction = /^\/_emulator\/payment_intents\/([^/]+)\/(authenticate|dispute)$/.exec(path);
  const disputeClose = /^\/_emulator\/disputes\/([^/]+)\/close$/.exec(path);
  let body: ReturnType<typeof bodyOf>;
  try {
    body = bodyOf(rawBody);
  } catch {
    answer(400, { error: 'The body is not JSON.' });
    return true;
  }
  const act = <T>(id: string, change: Parameters<EmulatorCore['act']>[1]) => {
    try {
      const result = core.act(id, change) as T | undefined;
      if (result === undefined) answer(404, { error: `No such object: ${id}` });
      return result;
    } catch (error) {
      if (!(error instanceof EmulatorError)) throw error;
      answer(error.status, { error: error.body });
      return undefined;
    }
  };
  if (method === 'POST' && intentAction?.[2] === 'authenticate') {
    const request = parsed(Authenticate, body.value, answer);
    if (!request) return true;
    const id = intentAction[1]!;
    const done = act<{ intent: unknown; invoice: string | undefined }>(id, (store) => {
      const intent = store.paymentIntents.get(id)!;
      authenticate(store, intent, request.outcome, unixTime());
      return { intent, invoice: invoiceOfIntent(store, id)?.id };
    });
    if (!done) return true;
    if (body.fromForm && done.invoice) {
      response.writeHead(303, { Location: `/_emulator/hosted/invoices/${done.invoice}` });
      response.end();
    } else answer(200, done.intent);
    return true;
  }
  if (method === 'POST' && intentAction?.[2] === 'dispute') {
    const request = parsed(Dispute, body.value, answer);
    const id = intentAction[1]!;
    const dispute = request && act(id, (store) => openDispute(store, id, request, unixTime()));
    if (dispute) answer(200, dispute);
    return true;
  }
  if (method === 'POST' && disputeClose) {
    const request = parsed(CloseDispute, body.value, answer);
    const id = disputeClose[1]!;
    const closed = request && act(id, (store) => {
      const dispute = store.disputes.get(id)!;
      closeDispute(store, dispute, request.outcome);
      return dispute;
    });
    if (closed) answer(200, closed);
    return true;
  }
  return handleDeliveries(core, method, url, body.value, answer);
}

function handleDeliveries(core: EmulatorCore, method: string, url: URL, body: unknown, answer: Answer): boolean {
  switch (`${method} ${url.pathname}`) {
    case 'GET /_emulator/webhooks/chaos':
      answer(200, core.webhooks.chaos.list());
      return true;
    case 'POST /_emulator/webhooks/chaos': {
      const rules = parsed(z.union([ChaosRule, z.array(ChaosRule)]), body, answer);
      if (!rules) return true;
      for (const rule of Array.isArray(rules) ? rules : [rules]) core.webhooks.chaos.add(rule);
      answer(200, core.webhooks.chaos.list());
      return true;
    }
    case 'DELETE /_emulator/webhooks/chaos':
      core.webhooks.chaos.clear();
      answer(200, []);
      return true;
    case 'GET /_emulator/webhooks/deliveries': {
      const since = Number(url.searchParams.get('since') ?? 0);
      const event = url.searchParams.get('event');
      answer(200, core.webhooks.log.filter((entry) => entry.seq > since && (!event || entry.eventId === event)));
      return true;
    }
    default:
      return false;
  }
}
