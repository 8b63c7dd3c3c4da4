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
    // Each worker process runs its files one after another without importing the relay's modules
    // afresh for each: that import was about a third of the suite's CPU. Test files share no state
    // through modules (each makes its own relay, brand and temp dir, and restores what it changes).
    isolate: false,
    // One file per core. VITEST_MAX_WORKERS sets another number.
    maxWorkers: availableParallelism(),
  },
})
