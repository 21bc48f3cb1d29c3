/** @type {import('jest').Config} */
// The package's own tests, run alone with `npm test -w @tenant-stripe-invoices/stripe-emulator`; the repository's
// `npm test` runs them too.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
};
