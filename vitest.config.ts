import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// npm test: unit, integration, chaos and browser suites (real relay, real SQLite, real ws clients,
// real Chromium: skipped with a message locally when it is missing, a failure in CI).
// Suites that need PostgreSQL or Redis live under test/services/ and run in .ci/run.
const SUITES = 'test/{unit,integration,chaos,browser}/**/*.test.ts'
// Files that count objects of a class across the whole process (v8.queryObjects): another file's
// leftovers in a shared worker would be counted too, so each of these gets a process of its own.
const OWN_PROCESS = ['test/integration/fanout-leak.test.ts', 'test/integration/upgrade-release.test.ts']

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // One file per core. VITEST_MAX_WORKERS sets another number.
    maxWorkers: availableParallelism(),
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: [SUITES],
          exclude: OWN_PROCESS,
          // Each worker process runs its files one after another without importing the relay's
          // modules afresh for each: that import was about a third of the suite's CPU. Test files
          // share no state through modules (each makes its own relay, brand and temp dir, and
          // restores what it changes).
          isolate: false,
        },
      },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true } },
    ],
  },
})
