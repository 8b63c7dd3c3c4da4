import { describe, expect, it } from 'vitest'
import { jsonDepth } from '../../../../../server/src/plugins/rest/json-body.js'

describe('jsonDepth', () => {
  it.each([
    ['1', 0],
    ['{}', 1],
    ['{"a":[1,{"b":[]}]}', 4],
    ['[[],[[]]]', 3],
    ['{"a":"[[[{{{"}', 1],
    ['{"a":"\\"[[[\\\\"}', 1],
    ['[' .repeat(5000) + ']'.repeat(5000), 5000],
  ])('measures %s as %i', (text, depth) => {
    expect(jsonDepth(text)).toBe(depth)
  })
})
