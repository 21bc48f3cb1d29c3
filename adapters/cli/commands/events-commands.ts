import { command, table } from '../command';

export const eventsCommands = [
  command({
    group: 'events', name: 'process',
    summary: 'Apply the Stripe events waiting in the inbox (for setups where a cron job, not the server, does it)',
    options: {},
    run: (_values, { processStripeEvents }) => processStripeEvents.drain(),
    text: (processed) =>
      [`Events processed: ${processed.length}`, table(['EVENT', 'TYPE', 'OUTCOME', 'DETAIL'], processed.map((entry) => [entry.eventId, entry.type, entry.outcome, entry.detail ?? '']))].join('\n'),
  }),
];
