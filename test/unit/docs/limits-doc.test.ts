import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS } from '../../../sdk/src/contract/limits.js'
import { limitEnv, limitFlag } from '../../../server/src/config.js'
import {
  BEGIN, END, LIMITS_SOURCE, OPERATIONS_DOC, parseLimitDocs, renderLimitsTable,
} from '../../../scripts/gen-limits-docs.mjs'

describe('the limits table in docs/operations.md', () => {
  it('is what scripts/gen-limits-docs.mjs generates from limits.ts', () => {
    // On failure: run `npm run build && node scripts/gen-limits-docs.mjs` and commit the page.
    const page = readFileSync(OPERATIONS_DOC, 'utf8')
    const current = page.slice(page.indexOf(BEGIN), page.indexOf(END) + END.length)
    const docs = parseLimitDocs(readFileSync(LIMITS_SOURCE, 'utf8'))
    expect(current).toBe(renderLimitsTable(DEFAULT_LIMITS, docs, limitFlag, limitEnv))
  })

  it('finds a doc comment for every limit', () => {
    const docs = parseLimitDocs(readFileSync(LIMITS_SOURCE, 'utf8'))
    expect(Object.keys(DEFAULT_LIMITS).filter((name) => !docs[name])).toEqual([])
  })
})
