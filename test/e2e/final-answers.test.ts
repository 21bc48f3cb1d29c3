import { emulatorClient } from '@tenant-stripe-invoices/stripe-emulator';
import { startLiveService, type LiveService } from '../support/live-service';

// The service on the real store, the real Stripe adapter and the emulator: every fault ends in a final answer.

let service: LiveService;
beforeAll(async () => {
  service = await startLiveService({ retries: 1 });
});
afterAll(() => service?.close());

async function post(body: Record<string, unknown>, key: string) {
  const response = await fetch(`${service.baseUrl}/api/v1/tenants/${service.tenants.pays.tenantId}/stripe-invoices`, {
    method: 'POST',
    headers: { ...service.headers, 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as Record<string, any> };
}

describe('final answers over HTTP, against the Stripe emulator', () => {
  it('refuses a footer holding a lone surrogate with 400, before any Stripe write, and keeps nothing open', async () => {
    const before = service.emulator.core.requests.length;
    for (const footer of ['\ud800', 'a\udc00b']) {
      const first = await post({ ...service.input('pays'), footer }, `lone-${footer.length}`);
      expect(first.status).toBe(400);
      expect(first.json).toMatchObject({ success: false, code: 'VALIDATION_FAILED' });
      expect((await post({ ...service.input('pays'), footer }, `lone-${footer.length}`)).status).toBe(400);
    }
    // Only the price and tax rate were looked up; nothing was written at Stripe.
    expect(service.emulator.core.requests.slice(before).filter((entry) => entry.method !== 'GET')).toEqual([]);
    expect((await service.ledger()).filter((row) => row.outcome === 'unknown')).toEqual([]);
  });

  it('starts over when the draft of an interrupted charge was deleted at Stripe, and charges once', async () => {
    const charges = service.stats().charges;
    service.fault({ operation: 'invoice.add_lines', kind: 'unavailable', count: 2 });
    const interrupted = await post(service.input('pays'), 'deleted-draft');
    expect(interrupted.status).toBe(502);
    const attempt = (await service.ledger()).find((row) => row.idempotencyKey === 'deleted-draft')!;
    const stripe = emulatorClient(service.emulator.url, 'sk_test_liveService');
    const drafts = await stripe.invoices.search({ query: `metadata['operationId']:'${attempt.operationId}'` });
    expect(drafts.data.map((invoice) => invoice.status)).toEqual(['draft']);
    await stripe.invoices.del(drafts.data[0]!.id); // a person cleans up the dashboard

    const retried = await post(service.input('pays'), 'deleted-draft');
    expect(retried.status).toBe(201);
    expect(drafts.data.map((invoice) => invoice.id)).not.toContain(retried.json['data'].invoice.id);
    expect(service.stats().charges).toBe(charges + 1);
    expect((await post(service.input('pays'), 'deleted-draft')).json).toEqual(retried.json);
  });
});
