import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ERRORS } from '../../../sdk/src/contract/errors.js'
import { ERRORS_DOC, renderErrorDocs } from '../../../scripts/gen-error-docs.mjs'

describe('docs/errors.md', () => {
  it('is what npm run docs:errors generates from the error table', () => {
    // On failure: run `npm run docs:errors` and commit docs/errors.md with the table change.
    expect(readFileSync(ERRORS_DOC, 'utf8')).toBe(renderErrorDocs(ERRORS))
  })

  it('lists every code of the table', () => {
    const page = renderErrorDocs(ERRORS)
    expect(Object.keys(ERRORS).filter((code) => !page.includes(`| \`${code}\` |`))).toEqual([])
  })
})
