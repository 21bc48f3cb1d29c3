import { command, iso, str, table } from '../command';

export const stripeCommands = [
  command({
    group: 'stripe', name: 'set-key', summary: "Set an app's Stripe secret key for live or test (stored encrypted)",
    options: {
      app: { type: 'string', required: true, value: 'id', description: 'app id' },
      mode: { type: 'string', required: true, value: 'live|test', description: 'which Stripe mode the key is for' },
      key: { type: 'string', value: 'sk_…', description: 'the secret key; omit it to read the key from standard input (keeps it out of shell history)' },
    },
    run: async (values, { stripeKeys }, io) => {
      const secretKey = str(values, 'key') ?? (await io.readStdin()).trim();
      return stripeKeys.setKey({ appId: str(values, 'app')!, mode: str(values, 'mode') as 'live' | 'test', secretKey });
    },
    text: (status) => `Stored the ${status.mode} Stripe key ${status.hint}.`,
  }),
  command({
    group: 'stripe', name: 'status', summary: "Show which Stripe keys an app has (hints only)",
    options: { app: { type: 'string', required: true, value: 'id', description: 'app id' } },
    run: (values, { stripeKeys }) => stripeKeys.status(str(values, 'app')!),
    text: (statuses) =>
      table(['MODE', 'KEY', 'UPDATED', 'READABLE'], statuses.map((status) => [status.mode, status.hint, iso(status.updatedAt), status.readable ? 'yes' : 'NO: not with this MASTER_KEY'])),
  }),
  command({
    group: 'stripe', name: 'connect-webhooks',
    summary: "Register this service's webhook endpoint at Stripe with the app's key, and keep its signing secret (sealed)",
    options: {
      app: { type: 'string', required: true, value: 'id', description: 'app id' },
      mode: { type: 'string', required: true, value: 'live|test', description: 'which Stripe mode' },
      url: { type: 'string', required: true, value: 'base URL', description: 'the public base URL of this service (https://billing.example.com)' },
    },
    run: (values, { webhooks }) => webhooks.connect({ appId: str(values, 'app')!, mode: str(values, 'mode') as 'live' | 'test', baseUrl: str(values, 'url')! }),
    text: (status) => `Stripe now sends the app's ${status.mode} events to ${status.url} (endpoint ${status.endpointId}, secret ${status.hint}).`,
  }),
  command({
    group: 'stripe', name: 'set-webhook-secret', summary: 'Keep the signing secret of a webhook endpoint made by hand in the Stripe dashboard',
    options: {
      app: { type: 'string', required: true, value: 'id', description: 'app id' },
      mode: { type: 'string', required: true, value: 'live|test', description: 'which Stripe mode the endpoint is in' },
      secret: { type: 'string', value: 'whsec_…', description: 'the signing secret; omit it to read it from standard input' },
    },
    run: async (values, { webhooks }, io) => {
      const secret = str(values, 'secret') ?? (await io.readStdin()).trim();
      return webhooks.setSecret({ appId: str(values, 'app')!, mode: str(values, 'mode') as 'live' | 'test', secret });
    },
    text: (status) => `Stored the ${status.mode} webhook signing secret ${status.hint}.`,
  }),
  command({
    group: 'stripe', name: 'webhooks', summary: 'Show which webhook signing secrets an app has (hints only)',
    options: { app: { type: 'string', required: true, value: 'id', description: 'app id' } },
    run: (values, { webhooks }) => webhooks.status(str(values, 'app')!),
    text: (statuses) =>
      table(['MODE', 'SECRET', 'ENDPOINT', 'UPDATED'], statuses.map((status) => [status.mode, status.hint, status.endpointId ?? '(made by hand)', iso(status.updatedAt)])),
  }),
];
