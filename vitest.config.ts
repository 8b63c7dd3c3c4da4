import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// npm test: unit, integration, chaos and browser suites (real relay, real SQLite, real ws clients,
// real Chromium: skipped with a message locally when it is missing, a failure in CI).
// Suites that need PostgreSQL or Redis live under test/services/ and run in .ci/run.
const NODE_SUITES = 'test/{unit,integration,chaos}/**/*.test.ts'
const BROWSER_SUITES = 'test/browser/**/*.test.ts'
// Files that count objects of a class across the whole process (v8.queryObjects), or measure its
// heap with gc exposed through V8's flags: another file's leftovers in a shared worker would be
// counted too (and the flag would stay on for it), so each of these gets a process of its own.
const OWN_PROCESS = ['test/integration/fanout-leak.test.ts', 'test/integration/upgrade-release.test.ts', 'test/unit/server/relay/shared-strings.test.ts']

// Each worker process runs its files one after another without importing the relay's modules
// afresh for each (isolate: false): that import was about a third of the suite's CPU. Test files
// share no state through modules (each makes its own relay, brand and temp dir, and restores what
// it changes).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    projects: [
      // First, one file per core (VITEST_MAX_WORKERS sets another number).
      { extends: true, test: { name: 'node', include: [NODE_SUITES], exclude: OWN_PROCESS, isolate: false, maxWorkers: availableParallelism() } },
      { extends: true, test: { name: 'own-process', include: OWN_PROCESS, isolate: true, maxWorkers: availableParallelism() } },
      // Then the Chromium suites, one file at a time: each drives a browser, a relay and the page's
      // timers at once, and beside another file on two cores every clean-clone run lost one of them
      // to a deadline its step meets in 2-3 s alone.
      { extends: true, test: { name: 'browser', include: [BROWSER_SUITES], isolate: false, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
})
