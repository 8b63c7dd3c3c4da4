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
  },
})
