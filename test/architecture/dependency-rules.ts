import path from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Repository-relative, with forward slashes: `application/ports.ts`. */
  path: string;
  text: string;
}

export const EMULATOR_PACKAGE = '@tenant-stripe-invoices/stripe-emulator';
const EMULATOR_SOURCE = 'packages/stripe-emulator/';
/** The one file of the service that may reach the emulator package, and only lazily (local mode). */
export const EMULATOR_LOADER = 'adapters/composition/local-emulator.ts';
const COMPOSITION = 'adapters/composition/';
const APPLICATION_PACKAGES = new Set(['zod', 'inversify']);
const EMULATOR_PACKAGES = new Set(['stripe', 'zod']);

interface Import {
  specifier: string;
  /** A value import that loads the module when the importing file loads (not `import type`, not `import()`). */
  eager: boolean;
}

function importsOf(file: SourceFile): Import[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const typeOnly = ts.isImportDeclaration(node) ? node.importClause?.isTypeOnly === true : node.isTypeOnly;
      found.push({ specifier: node.moduleSpecifier.text, eager: !typeOnly });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push({ specifier: node.moduleReference.expression.text, eager: true });
    } else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0]!)) {
      const lazy = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const required = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (lazy || required) found.push({ specifier: node.arguments[0].text, eager: required });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, eager: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** `adapters/http/rest/x.ts` → `adapters/http`; a file directly under `adapters/` is an adapter of its own. */
function adapterOf(repoPath: string): string {
  const parts = repoPath.split('/');
  return parts.length > 2 ? `adapters/${parts[1]}` : repoPath;
}

function targetOf(from: string, specifier: string): string {
  return specifier.startsWith('.') ? path.posix.join(path.posix.dirname(from), specifier) : specifier;
}

function checkImport(from: string, imported: Import): string | undefined {
  const { specifier } = imported;
  const relative = specifier.startsWith('.');
  const target = targetOf(from, specifier);
  const where = `${from} imports "${specifier}"`;

  if (from.startsWith(EMULATOR_SOURCE)) {
    if (relative && !target.startsWith(EMULATOR_SOURCE)) return `${where}: the emulator package imports nothing from the service`;
    if (!relative && !specifier.startsWith('node:') && !EMULATOR_PACKAGES.has(specifier)) {
      return `${where}: the emulator package imports nothing from the service, and of packages only ${[...EMULATOR_PACKAGES].join(', ')}`;
    }
    return undefined;
  }
  if (specifier === EMULATOR_PACKAGE || specifier.startsWith(`${EMULATOR_PACKAGE}/`) || target.startsWith(EMULATOR_SOURCE)) {
    if (from !== EMULATOR_LOADER || imported.eager || specifier !== EMULATOR_PACKAGE) {
      return `${where}: the service loads the emulator only in ${EMULATOR_LOADER}, lazily with await import()`;
    }
    return undefined;
  }
  if (from.startsWith('domain/')) {
    if (!relative || !target.startsWith('domain/')) return `${where}: the domain imports nothing outside domain/`;
  } else if (from.startsWith('application/')) {
    if (!relative && !APPLICATION_PACKAGES.has(specifier)) {
      return `${where}: the application may use only ${[...APPLICATION_PACKAGES].join(', ')} from packages`;
    }
    if (relative && !target.startsWith('domain/') && !target.startsWith('application/')) {
      return `${where}: the application never imports an adapter`;
    }
  } else if (from.startsWith('adapters/') && !from.startsWith(COMPOSITION) && relative && target.startsWith('adapters/')) {
    if (adapterOf(target) !== adapterOf(from)) return `${where}: an adapter never imports another adapter (only ${COMPOSITION} sees them all)`;
  }
  return undefined;
}

/** Every import that breaks the dependency rule of architecture.md, as a readable sentence. */
export function dependencyViolations(files: readonly SourceFile[]): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .map((imported) => checkImport(file.path, imported))
      .filter((violation): violation is string => violation !== undefined),
  );
}

/** Each import cycle among the files (relative imports, type-only ones included), as `a.ts → b.ts → a.ts`. */
export function importCycles(files: readonly SourceFile[]): string[] {
  const known = new Set(files.map((file) => file.path));
  const resolve = (from: string, specifier: string): string | undefined => {
    const target = targetOf(from, specifier);
    return [`${target}.ts`, `${target}/index.ts`, target].find((candidate) => known.has(candidate));
  };
  const edges = new Map(
    files.map((file) => [
      file.path,
      [...new Set(importsOf(file).filter((imported) => imported.specifier.startsWith('.')).map((imported) => resolve(file.path, imported.specifier)))]
        .filter((target): target is string => target !== undefined),
    ]),
  );
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    trail.push(node);
    for (const next of edges.get(node) ?? []) {
      if (state.get(next) === 'open') cycles.push([...trail.slice(trail.indexOf(next)), next].join(' → '));
      else if (!state.has(next)) visit(next);
    }
    trail.pop();
    state.set(node, 'done');
  };
  for (const file of [...edges.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}
