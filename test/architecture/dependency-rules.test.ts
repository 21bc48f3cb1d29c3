import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { EMULATOR_LOADER, dependencyViolations, importCycles, type SourceFile } from './dependency-rules';

const ROOT = path.resolve(__dirname, '../..');

function sourcesUnder(folder: string): SourceFile[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => {
      const repoPath = path.posix.join(folder, name.split(path.sep).join('/'));
      return { path: repoPath, text: readFileSync(path.join(ROOT, repoPath), 'utf8') };
    });
}

const SOURCE_FOLDERS = ['domain', 'application', 'adapters', 'packages/stripe-emulator/src'];

describe('the dependency rule', () => {
  const files = SOURCE_FOLDERS.flatMap(sourcesUnder);

  it('holds for the source tree', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(dependencyViolations(files)).toEqual([]);
  });

  it('finds no import cycle in the source tree', () => {
    expect(importCycles(files)).toEqual([]);
  });

  it.each([
    ['domain/money.ts', "import { Clock } from '../application/ports';", 'the domain imports nothing outside domain/'],
    ['domain/money.ts', "import { z } from 'zod';", 'the domain imports nothing outside domain/'],
    ['domain/ids.ts', "import { randomUUID } from 'node:crypto';", 'the domain imports nothing outside domain/'],
    ['domain/ids.ts', "const Stripe = require('stripe');", 'the domain imports nothing outside domain/'],
    ['application/ports.ts', "import type { X } from '../adapters/composition/container';", 'the application never imports an adapter'],
    ['application/ports.ts', "export { Y } from '../adapters/stripe/stripe-billing';", 'the application never imports an adapter'],
    ['application/ports.ts', "import Stripe from 'stripe';", 'the application may use only zod, inversify'],
    ['application/ports.ts', "const pg = await import('pg');", 'the application may use only zod, inversify'],
    ['adapters/http/rest/routes.ts', "import { x } from '../../sql/sql-store';", 'an adapter never imports another adapter'],
    ['adapters/http/rest/routes.ts', "import { createContainer } from '../../composition/container';", 'an adapter never imports another adapter'],
    // The emulator package: loaded by the service only lazily, in local mode; it knows nothing of the service.
    [EMULATOR_LOADER, "import { startStripeEmulator } from '@tenant-stripe-invoices/stripe-emulator';", 'lazily with await import()'],
    ['adapters/composition/main.ts', "const e = await import('@tenant-stripe-invoices/stripe-emulator');", 'lazily with await import()'],
    ['adapters/stripe/stripe-billing.ts', "import type { FaultRule } from '@tenant-stripe-invoices/stripe-emulator';", 'lazily with await import()'],
    [EMULATOR_LOADER, "const e = await import('../../packages/stripe-emulator/src/stripe-emulator');", 'lazily with await import()'],
    ['packages/stripe-emulator/src/standalone.ts', "import { createStripeClient } from '../../../adapters/stripe/stripe-client';", 'the emulator package imports nothing from the service'],
    ['packages/stripe-emulator/src/expand.ts', "import type { Invoice } from '../../../domain/invoice';", 'the emulator package imports nothing from the service'],
    ['packages/stripe-emulator/src/expand.ts', "import { x } from 'tenant-stripe-invoices';", 'the emulator package imports nothing from the service'],
  ])('catches %s doing `%s`', (file, line, rule) => {
    const violations = dependencyViolations([{ path: file, text: line }]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain(rule);
  });

  it('allows what the architecture allows', () => {
    const allowed: SourceFile[] = [
      { path: 'domain/invoice.ts', text: "import { Money } from './money';" },
      { path: 'application/ports.ts', text: "import type { Tenant } from '../domain/tenant'; import { z } from 'zod';" },
      { path: 'adapters/http/rest/routes.ts', text: "import { x } from './errors'; import { y } from '../caller'; import f from 'fastify'; import '../../../application/ports';" },
      { path: 'adapters/composition/container.ts', text: "import { StripeBilling } from '../stripe/stripe-billing';" },
      { path: EMULATOR_LOADER, text: "type P = typeof import('@tenant-stripe-invoices/stripe-emulator'); const p = await import('@tenant-stripe-invoices/stripe-emulator');" },
      { path: 'packages/stripe-emulator/src/expand.ts', text: "import { a } from './account-store'; import Stripe from 'stripe'; import { z } from 'zod'; import http from 'node:http';" },
    ];
    expect(dependencyViolations(allowed)).toEqual([]);
  });

  it('catches an import cycle, type-only imports included', () => {
    const cycle: SourceFile[] = [
      { path: 'application/ports.ts', text: "import type { Caller } from './authenticate';" },
      { path: 'application/authenticate.ts', text: "import { ApiKeys } from './ports';" },
      { path: 'application/caller.ts', text: "import { ApiKeys } from './ports';" },
    ];
    expect(importCycles(cycle)).toEqual(['application/authenticate.ts → application/ports.ts → application/authenticate.ts']);
  });
});
