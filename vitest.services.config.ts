import { availableParallelism } from 'node:os'
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
    // Test files mostly wait (fsync, sockets, Chromium, PostgreSQL) rather than compute, so vitest's
    // default of one worker per core less one (a single worker on a 2-core CI machine) leaves a core
    // idle. Two per core pushed browser and chaos tests past their start and event deadlines on a
    // loaded machine: test/bench/README.md "CI under 20 minutes". VITEST_MAX_WORKERS overrides.
    maxWorkers: availableParallelism(),
    passWithNoTests: true,
  },
})
