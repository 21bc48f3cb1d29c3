import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printedSchema } from './schema';

// `npm run schema`: writes the schema generated from the code to schema.graphql at the repository root.
const target = path.resolve(process.argv[2] ?? 'schema.graphql');
writeFileSync(target, printedSchema());
console.log(`Wrote ${target}`);
