import { endpointData } from '../../../application/outbound/manage-app-endpoints';
import { command, iso, seconds, str, table } from '../command';

const app = { type: 'string', required: true, value: 'id', description: 'app id' } as const;
const endpoint = { type: 'string', required: true, value: 'id', description: 'endpoint id (we_…, from webhooks list)' } as const;
const ONCE = 'Store it now: it is shown once and cannot be recovered. Verify deliveries with it (Standard Webhooks).';

/** The operator's commands for the events sent to the apps (Standard Webhooks). */
export const webhookCommands = [
  command({
    group: 'webhooks', name: 'add', summary: "Add an endpoint that receives an app's events (the signing secret is shown once)",
    options: {
      app,
      url: { type: 'string', required: true, value: 'url', description: 'where to deliver (https in production)' },
      events: { type: 'string', value: 'types', description: 'comma-separated event types (default: all)' },
    },
    run: async (values, { appEndpoints }) => {
      const events = str(values, 'events')?.split(',').map((type) => type.trim()).filter(Boolean);
      const created = await appEndpoints.create(str(values, 'app')!, { url: str(values, 'url'), ...(events ? { events } : {}) });
      return { ...endpointData(created.endpoint), secret: created.secret };
    },
    text: (created) => `Added endpoint ${created.id} → ${created.url} (${created.events.join(', ')}).\n\n  ${created.secret}\n\n${ONCE}`,
  }),
  command({
    group: 'webhooks', name: 'list', summary: "List an app's endpoints (never their secrets)",
    options: { app },
    run: async (values, { appEndpoints }) => (await appEndpoints.list(str(values, 'app')!)).map(endpointData),
    text: (endpoints) =>
      table(['ID', 'URL', 'STATUS', 'EVENTS'], endpoints.map((item) => [item.id, item.url, item.disabledReason ? `${item.status} (${item.disabledReason})` : item.status, item.events.join(',')])),
  }),
  command({
    group: 'webhooks', name: 'remove', summary: 'Remove an endpoint; nothing more is sent to it',
    options: { app, endpoint },
    run: async (values, { appEndpoints }) => {
      await appEndpoints.remove(str(values, 'app')!, str(values, 'endpoint')!);
      return { removed: str(values, 'endpoint')! };
    },
    text: (result) => `Removed endpoint ${result.removed}.`,
  }),
  command({
    group: 'webhooks', name: 'rotate-secret', summary: "Replace an endpoint's signing secret; both sign during the overlap",
    options: { app, endpoint, overlap: { type: 'string', value: 'duration', description: 'how long the old secret keeps signing too (default 24h)' } },
    run: async (values, { appEndpoints }) => {
      const overlapMs = seconds(str(values, 'overlap') ?? '24h') * 1000;
      const rotated = await appEndpoints.rotateSecret(str(values, 'app')!, str(values, 'endpoint')!, overlapMs);
      return { id: rotated.endpoint.id, secret: rotated.secret, oldSecretUntil: rotated.oldSecretUntil };
    },
    text: (rotated) => `New secret for ${rotated.id}; the old one signs too until ${iso(rotated.oldSecretUntil)}.\n\n  ${rotated.secret}\n\n${ONCE}`,
  }),
  command({
    group: 'webhooks', name: 'deliveries', summary: 'Every delivery attempt, newest first: status, duration, the start of the answer',
    options: {
      app,
      endpoint: { type: 'string', value: 'id', description: 'only this endpoint' },
      event: { type: 'string', value: 'id', description: 'only this event (msg_…)' },
      limit: { type: 'string', value: 'n', description: 'at most this many (default 50)' },
    },
    run: (values, { deliveries }) => {
      const limit = str(values, 'limit');
      return deliveries.attempts(str(values, 'app')!, { endpointId: str(values, 'endpoint'), eventId: str(values, 'event'), ...(limit ? { limit: Number(limit) } : {}) });
    },
    text: (attempts) =>
      table(['AT', 'EVENT', 'ENDPOINT', 'TRY', 'STATUS', 'MS', 'ANSWER'], attempts.map((attempt) => [
        iso(attempt.at), attempt.eventId, attempt.endpointId, String(attempt.attempt), attempt.status === null ? (attempt.error ?? '-') : String(attempt.status),
        String(Math.round(attempt.durationMs)), attempt.response.slice(0, 60).replace(/\s+/g, ' '),
      ])),
  }),
  command({
    group: 'webhooks', name: 'redeliver', summary: 'Send one event again (same webhook-id) to the endpoints it went to',
    options: { app, event: { type: 'string', required: true, value: 'id', description: 'event id (msg_…)' } },
    run: (values, { deliveries }) => deliveries.redeliver(str(values, 'app')!, str(values, 'event')!),
    text: (result) => `Queued ${result.deliveries} deliver${result.deliveries === 1 ? 'y' : 'ies'}.`,
  }),
  command({
    group: 'webhooks', name: 'replay', summary: "Send an endpoint every event of its app since a time",
    options: { app, endpoint, since: { type: 'string', required: true, value: 'time', description: 'ISO 8601 time (2026-12-01T00:00:00Z)' } },
    run: (values, { deliveries }) => deliveries.replay(str(values, 'app')!, str(values, 'endpoint')!, new Date(str(values, 'since')!)),
    text: (result) => `Queued ${result.deliveries} deliver${result.deliveries === 1 ? 'y' : 'ies'}.`,
  }),
  command({
    group: 'webhooks', name: 'dispatch', summary: 'Send the deliveries that are due now (for setups where a cron job, not the server, does it)',
    options: {},
    run: async (_values, { deliverAppEvents }) => {
      const all = [];
      for (let round = 0, batch = await deliverAppEvents.run(); batch.length > 0 && round < 1_000; round += 1, batch = await deliverAppEvents.run()) all.push(...batch);
      return all;
    },
    text: (reports) =>
      [`Deliveries attempted: ${reports.length}`, table(['EVENT', 'ENDPOINT', 'TRY', 'OUTCOME', 'STATUS'], reports.map((report) => [report.eventId, report.endpointId, String(report.attempt), report.outcome, report.status === null ? '-' : String(report.status)]))].join('\n'),
  }),
];
