import { nestingOf } from '../../../adapters/http/graphql/nesting-bound';

describe('how deeply a GraphQL document nests, counted before parsing', () => {
  it.each([
    ['{ a }', 1],
    ['mutation { f(input: { a: [1, [2]] }) { b { c } } }', 5],
    ['query($v: [[String!]]) { a }', 3],
    [`{ a(s: "[[[[{{{{(((") }`, 2],
    [`{ a(s: """ [[[ \\""" [[[ """) }`, 2],
    ['{ a # [[[[[[[\n }', 1],
    ['{ a(s: "\\"[[[") }', 2],
    [`${'['.repeat(5000)}`, 5000],
  ])('%j nests %i deep', (source, depth) => {
    expect(nestingOf(source)).toBe(depth);
  });
});
