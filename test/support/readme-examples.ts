import { readFileSync } from 'node:fs';
import path from 'node:path';

const README = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/**
 * A block of the README by the name on its first line: a ```sh block's comment line is left out
 * (`# README example: rest`), a ```js block's is kept (`// README example: receiver — …`, part of the program).
 */
export function readmeExample(name: string, language: 'sh' | 'js' = 'sh'): string {
  const pattern = language === 'sh' ? `\`\`\`sh\\n# README example: ${name}\\n([\\s\\S]*?)\\n\`\`\`` : `\`\`\`js\\n(// README example: ${name}[\\s\\S]*?)\\n\`\`\``;
  const match = new RegExp(pattern).exec(README);
  if (!match) throw new Error(`README has no ${language} example "${name}"`);
  return match[1]!;
}
