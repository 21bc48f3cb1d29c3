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
    text: (statuses) => table(['MODE', 'KEY', 'UPDATED'], statuses.map((status) => [status.mode, status.hint, iso(status.updatedAt)])),
  }),
];
