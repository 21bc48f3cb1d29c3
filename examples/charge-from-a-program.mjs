// Charge a tenant from a program of your own, in-process: no HTTP, the same use cases the server runs.
// Against local mode: start `npm start` (it makes .data and runs the Stripe emulator), then, in the repository,
// `node examples/charge-from-a-program.mjs`. DATA_DIR, if you set one, must be the server's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, openService } from 'tenant-stripe-invoices';

const dataDir = process.env.DATA_DIR ?? '.data';
const local = JSON.parse(readFileSync(path.join(dataDir, 'local-credentials.json'), 'utf8'));

// The store the server uses (refused, with what to do, where DATA_DIR holds none), and Stripe where the server
// finds it: in local mode, its emulator.
const service = await openService(loadConfig());
try {
  const caller = await service.authenticate.execute({ apiKey: local.writeKey, apiKeyType: 'write', clientId: local.clientId });
  const { tenantId, userId } = local.tenants.pays;
  const result = await service.createStripeInvoice.execute({
    caller,
    tenantId,
    input: { price: local.priceOneTime, taxRate: local.taxRate, mode: 'payment', quantity: 1, userId, test: true },
    idempotencyKey: `example-order-${Date.now()}`, // a retry with the same key never charges twice
  });
  // result.status: 'succeeded' | 'requires_action' | 'processing' | 'nothing_to_charge'
  console.log(JSON.stringify({ status: result.status, invoice: result.invoice.id, paymentIntent: result.paymentIntent?.id ?? null }));
} finally {
  await service.close();
}
