/** @type {import('jest').Config} */
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true },
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/build-once.ts',
  roots: ['<rootDir>/test', '<rootDir>/packages/stripe-emulator/test'],
  // The emulator package is read from its source, as the type check reads it.
  moduleNameMapper: { '^@tenant-stripe-invoices/stripe-emulator$': '<rootDir>/packages/stripe-emulator/src/stripe-emulator.ts' },
  testMatch: ['**/*.test.ts'],
  // inversify 8 (with its @inversifyjs packages) and cookie 2 (under fastify.inject) are ESM-only: Node 20 can
  // require them, jest cannot, so they are transformed too.
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(inversify|@inversifyjs|cookie)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // Tests against Stripe's real test mode run only through `npm run test:stripe`, the fault matrix through
  // `npm run test:chaos`.
  testPathIgnorePatterns: [
    '/node_modules/',
    ...(process.env.RUN_STRIPE_TESTS ? [] : ['/test/stripe-live/']),
    ...(process.env.RUN_CHAOS ? [] : ['/test/chaos/']),
  ],
};
