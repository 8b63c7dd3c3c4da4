import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// npm test: unit, integration, chaos and browser suites (real relay, real SQLite, real ws clients,
// real Chromium: skipped with a message locally when it is missing, a failure in CI).
// Suites that need PostgreSQL or Redis live under test/services/ and run in .ci/run.
export default defineConfig({
  test: {
    include: ['test/{unit,integration,chaos,browser}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Test files mostly wait (fsync, sockets, Chromium, PostgreSQL) rather than compute, so vitest's
    // default of one worker per core less one (a single worker on a 2-core CI machine) leaves a core
    // idle. Two per core pushed browser and chaos tests past their start and event deadlines on a
    // loaded machine: test/bench/README.md "CI under 20 minutes". VITEST_MAX_WORKERS overrides.
    maxWorkers: availableParallelism(),
  },
})
