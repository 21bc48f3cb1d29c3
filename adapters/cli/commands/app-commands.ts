import { command, iso, str, table } from '../command';

export const appCommands = [
  command({
    group: 'apps', name: 'create', summary: 'Register an app (an API customer that bills its tenants)',
    options: { name: { type: 'string', required: true, value: 'text', description: 'a name for people' } },
    run: (values, { apps }) => apps.create({ name: str(values, 'name')! }),
    text: (app) => `Created app ${app.id} (${app.name}). Next: create an API key with \`keys create --app ${app.id} --type write\`.`,
  }),
  command({
    group: 'apps', name: 'list', summary: 'List apps', options: {},
    run: (_values, { apps }) => apps.list(),
    text: (apps) => table(['ID', 'NAME', 'CREATED'], apps.map((app) => [app.id, app.name, iso(app.createdAt)])),
  }),
];
