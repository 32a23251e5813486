/** Jest runs every package's tests and the top-level end-to-end tests, in ESM mode (jose 6 is ESM-only). */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.test.json' }],
  },
  moduleNameMapper: {
    // Tests run against the sources, so a failing line points at .ts, not at dist/.
    '^@graph-comms/core/testing$': '<rootDir>/packages/core/src/testing/index.ts',
    '^@graph-comms/(core|express-adapter|fastify-adapter|emulator|redis-store)$': '<rootDir>/packages/$1/src/index.ts',
    '^@graph-comms/core/http$': '<rootDir>/packages/core/src/http/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: ['<rootDir>/packages/*/test/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
  testTimeout: 20000,
  // A worker that ran many files holds hundreds of MB (ESM module registries, servers' leftovers):
  // replaced once above this, so that the heap checks of the soak measure the soak alone.
  workerIdleMemoryLimit: '512MB',
};
