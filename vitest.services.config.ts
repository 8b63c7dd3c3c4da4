import { defineConfig } from 'vitest/config'

// Suites that need real services (PostgreSQL, Redis, Chromium), run by `npm run test:services` after
// `.ci/run` started or installed the services. The store contract suite (test/unit/server/store/,
// SQLite in `npm test`) runs here again, unchanged, on PostgreSQL (PARLEY_TEST_STORE, read by
// test/helpers/stores.ts). A missing service fails these suites in CI and skips them locally.
export default defineConfig({
  test: {
    include: ['test/services/**/*.test.ts', 'test/unit/server/store/*.test.ts'],
    env: { PARLEY_TEST_STORE: 'postgres' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // As for npm test (vitest.config.ts says why): files in turn in each worker process, without
    // loading the modules afresh for each. One file at a time (vitest's default on two cores): these
    // suites restart PostgreSQL and Redis and read cluster-wide counters, and with two at a time a
    // restart suite lost its socket once and a HOT-update count came out 95 of 100.
    isolate: false,
    passWithNoTests: true,
  },
})
