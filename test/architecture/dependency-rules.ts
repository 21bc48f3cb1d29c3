import path from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Repository-relative, with forward slashes: `application/ports.ts`. */
  path: string;
  text: string;
}

/** Only these files see every adapter: the composition root, configuration, and the entry points (server, CLI, library). */
const COMPOSITION_FILES = new Set([
  'adapters/container.ts',
  'adapters/main.ts',
  'adapters/library.ts',
  'adapters/config.ts',
  'adapters/cli-main.ts',
  'adapters/http-server.ts',
  'adapters/local-mode.ts',
  'adapters/local-banner.ts',
]);
const APPLICATION_PACKAGES = new Set(['zod', 'inversify']);

function importsOf(file: SourceFile): string[] {
  return ts.preProcessFile(file.text, true, true).importedFiles.map((imported) => imported.fileName);
}

/** `adapters/rest/routes.ts` → `adapters/rest`; a file directly under `adapters/` is an adapter of its own. */
function adapterOf(repoPath: string): string {
  const parts = repoPath.split('/');
  return parts.length > 2 ? `adapters/${parts[1]}` : repoPath;
}

function checkImport(from: string, specifier: string): string | undefined {
  const relative = specifier.startsWith('.');
  const target = relative ? path.posix.join(path.posix.dirname(from), specifier) : specifier;
  const where = `${from} imports "${specifier}"`;

  if (from.startsWith('domain/')) {
    if (!relative || !target.startsWith('domain/')) return `${where}: the domain imports nothing outside domain/`;
  } else if (from.startsWith('application/')) {
    if (!relative && !APPLICATION_PACKAGES.has(specifier)) {
      return `${where}: the application may use only ${[...APPLICATION_PACKAGES].join(', ')} from packages`;
    }
    if (relative && !target.startsWith('domain/') && !target.startsWith('application/')) {
      return `${where}: the application never imports an adapter`;
    }
  } else if (from.startsWith('adapters/') && !COMPOSITION_FILES.has(from) && relative && target.startsWith('adapters/')) {
    if (adapterOf(target) !== adapterOf(from)) return `${where}: an adapter never imports another adapter`;
  }
  return undefined;
}

/** Every import that breaks the dependency rule of architecture.md, as a readable sentence. */
export function dependencyViolations(files: readonly SourceFile[]): string[] {
  return files.flatMap((file) =>
    importsOf(file)
      .map((specifier) => checkImport(file.path, specifier))
      .filter((violation): violation is string => violation !== undefined),
  );
}
