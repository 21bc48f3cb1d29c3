#!/usr/bin/env node
import { runCli } from '../cli/run-cli';
import { loadConfig } from './config';
import { openService } from './open-service';

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
  const config = loadConfig(process.env, { createStore: true });
  for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);
  const service = await openService(config);
  return { useCases: service, close: service.close };
}

runCli(process.argv.slice(2), io, open).then((code) => {
  process.exitCode = code;
});
