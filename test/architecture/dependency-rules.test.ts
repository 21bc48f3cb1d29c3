import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { dependencyViolations, type SourceFile } from './dependency-rules';

const ROOT = path.resolve(__dirname, '../..');

function sourcesUnder(folder: string): SourceFile[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => {
      const repoPath = path.posix.join(folder, name.split(path.sep).join('/'));
      return { path: repoPath, text: readFileSync(path.join(ROOT, repoPath), 'utf8') };
    });
}

describe('the dependency rule', () => {
  it('holds for the source tree', () => {
    const files = ['domain', 'application', 'adapters'].flatMap(sourcesUnder);
    expect(files.length).toBeGreaterThan(10);
    expect(dependencyViolations(files)).toEqual([]);
  });

  it.each([
    ['domain/money.ts', "import { Clock } from '../application/ports';", 'the domain imports nothing outside domain/'],
    ['domain/money.ts', "import { z } from 'zod';", 'the domain imports nothing outside domain/'],
    ['domain/ids.ts', "import { randomUUID } from 'node:crypto';", 'the domain imports nothing outside domain/'],
    ['domain/ids.ts', "const Stripe = require('stripe');", 'the domain imports nothing outside domain/'],
    ['application/ports.ts', "import type { X } from '../adapters/container';", 'the application never imports an adapter'],
    ['application/ports.ts', "export { Y } from '../adapters/stripe/stripe-billing';", 'the application never imports an adapter'],
    ['application/ports.ts', "import Stripe from 'stripe';", 'the application may use only zod, inversify'],
    ['application/ports.ts', "const pg = await import('pg');", 'the application may use only zod, inversify'],
    ['adapters/rest/routes.ts', "import { schema } from '../graphql/schema';", 'an adapter never imports another adapter'],
    ['adapters/rest/routes.ts', "import { createContainer } from '../container';", 'an adapter never imports another adapter'],
  ])('catches %s doing `%s`', (file, line, rule) => {
    const violations = dependencyViolations([{ path: file, text: line }]);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toContain(rule);
  });

  it('allows what the architecture allows', () => {
    const allowed: SourceFile[] = [
      { path: 'domain/invoice.ts', text: "import { Money } from './money';" },
      { path: 'application/ports.ts', text: "import type { Tenant } from '../domain/tenant'; import { z } from 'zod';" },
      { path: 'adapters/rest/routes.ts', text: "import { x } from './errors'; import f from 'fastify'; import '../../application/ports';" },
      { path: 'adapters/container.ts', text: "import { StripeBilling } from './stripe/stripe-billing';" },
    ];
    expect(dependencyViolations(allowed)).toEqual([]);
  });
});
