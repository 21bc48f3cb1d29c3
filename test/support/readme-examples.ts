import { readFileSync } from 'node:fs';
import path from 'node:path';

const README = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** A ```sh block of the README, by the name on its first line (`# README example: rest`). */
export function readmeExample(name: string): string {
  const match = new RegExp(`\`\`\`sh\\n# README example: ${name}\\n([\\s\\S]*?)\\n\`\`\``).exec(README);
  if (!match) throw new Error(`README has no example "${name}"`);
  return match[1]!;
}
