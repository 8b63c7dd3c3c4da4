import { defineConfig } from 'vitest/config'

// npm test: unit, integration and chaos suites (real relay, real SQLite, real ws clients).
// Suites that need PostgreSQL, Redis or Chromium live under test/services/ and run in .ci/run.
export default defineConfig({
  test: {
    include: ['test/{unit,integration,chaos}/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
})
