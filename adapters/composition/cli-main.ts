#!/usr/bin/env node
import { ConfigureStripe } from '../../application/admin/configure-stripe';
import { ManageApiKeys } from '../../application/admin/manage-api-keys';
import { ManageApps } from '../../application/admin/manage-apps';
import { ManageTenants } from '../../application/admin/manage-tenants';
import { ReadLedger } from '../../application/admin/read-ledger';
import { Reconcile } from '../../application/admin/reconcile';
import { runCli } from '../cli/run-cli';
import { loadConfig } from './config';
import { openService } from './container';

const io = {
  out: (text: string) => process.stdout.write(`${text}\n`),
  err: (text: string) => process.stderr.write(`${text}\n`),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

async function open() {
  const config = loadConfig();
  for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
  const service = await openService(config);
  const { container } = service;
  return {
    useCases: {
      apps: container.get(ManageApps),
      keys: container.get(ManageApiKeys),
      stripe: container.get(ConfigureStripe),
      tenants: container.get(ManageTenants),
      ledger: container.get(ReadLedger),
      reconcile: container.get(Reconcile),
    },
    close: service.close,
  };
}

runCli(process.argv.slice(2), io, open).then((code) => {
  process.exitCode = code;
});
