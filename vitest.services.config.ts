import { defineConfig } from 'vitest/config'

// Suites that need real services (PostgreSQL, Redis, Chromium). `.ci/run` starts or installs the
// services first; in a local `npm test` these suites are not run.
export default defineConfig({
  test: {
    include: ['test/services/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    passWithNoTests: true,
  },
})
