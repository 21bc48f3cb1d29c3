import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * How deeply brackets of any kind nest in a GraphQL document, outside strings and comments. Counted before parsing,
 * because graphql-js parses nesting by recursion and a deep enough document exhausts the stack.
 */
export function nestingOf(source: string): number {
  let depth = 0;
  let deepest = 0;
  for (let at = 0; at < source.length; at += 1) {
    const char = source[at];
    if (char === '#') {
      while (at < source.length && source[at] !== '\n') at += 1;
    } else if (char === '"') {
      at = source.startsWith('"""', at) ? endOfBlockString(source, at + 3) : endOfString(source, at + 1);
    } else if (char === '{' || char === '[' || char === '(') {
      depth += 1;
      deepest = Math.max(deepest, depth);
    } else if (char === '}' || char === ']' || char === ')') {
      depth -= 1;
    }
  }
  return deepest;
}

function endOfString(source: string, from: number): number {
  let at = from;
  while (at < source.length && source[at] !== '"' && source[at] !== '\n') at += source[at] === '\\' ? 2 : 1;
  return at;
}

function endOfBlockString(source: string, from: number): number {
  let at = from;
  while (at < source.length && !source.startsWith('"""', at)) at += source.startsWith('\\"""', at) ? 4 : 1;
  return at + 2;
}

/** Refuses, before parsing, a document that nests deeper than `max` (the schema itself is 4 levels deep). */
export function boundedNesting(max: number): Plugin {
  return {
    onParse({ params }) {
      const source = typeof params.source === 'string' ? params.source : params.source.body;
      if (nestingOf(source) > max) {
        throw createGraphQLError(`Syntax Error: the document nests deeper than ${max} levels.`, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
      }
    },
  };
}
