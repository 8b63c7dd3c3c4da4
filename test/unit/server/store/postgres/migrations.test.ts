import { describe, expect, it } from 'vitest'
import { MIGRATIONS } from '../../../../../server/src/store/postgres/schema/index.js'

// migrate.ts applies what is missing by version and SCHEMA_VERSION is the last one's: a gap or a
// version out of order would leave a migration behind, or apply one twice under another number.

describe('PostgreSQL migrations', () => {
  it('are numbered 1..n, in order, each with a name', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    expect(MIGRATIONS.every((m) => m.name.length > 0 && m.sql.trim().length > 0)).toBe(true)
  })
})
