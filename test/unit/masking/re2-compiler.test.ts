import { describe, expect, it } from 'vitest'
import { regExpCompiler, vetPattern } from '../../../sdk/src/masking/masking.js'
import { re2Compiler } from '../../../server/src/masking/re2-compiler.js'

// The relay runs brand patterns on RE2 and the widget on RegExp: for vetted patterns both must
// find the same ranges, or the widget would show one text and the relay store another.

const PATTERNS = [
  { name: 'order', pattern: 'ORD-\\d{6}' },
  { name: 'ticket', pattern: 'ticket #?\\d{5,8}', caseInsensitive: true },
  { name: 'words', pattern: '(cat|dog)+s' },
  { name: 'code', pattern: '\\b[A-Z]{2}\\d{4}\\b' },
  { name: 'set', pattern: '[^\\s@]+@example\\.com' },
  { name: 'accent', pattern: 'café \\d{2}' },
  { name: 'star', pattern: 'a*' },
]
const INPUTS = [
  'ORD-123456 and ORD-1234567, ord-123456',
  'Ticket #12345, TICKET 87654321 ticket#1234',
  'catdogs dogs cats catdog',
  'AB1234 xAB1234 AB12345 CD9876.',
  'me@example.com, you.too@example.com @example.com',
  '😀 café 12 CAFÉ 34 café 5',
  'baab a 😀aa',
  '',
]

describe('re2Compiler', () => {
  it.each(PATTERNS)('finds the same ranges as regExpCompiler for $pattern', (pattern) => {
    expect(vetPattern(pattern) === null || pattern.pattern === 'a*').toBe(true)
    const re2 = re2Compiler(pattern)
    const js = regExpCompiler(pattern)
    for (const text of INPUTS) expect([...re2(text)], text).toEqual([...js(text)])
  })

  it('finds matches at least once in the table (the comparison is not vacuous)', () => {
    const total = PATTERNS.reduce((n, p) => n + INPUTS.reduce((k, t) => k + [...re2Compiler(p)(t)].length, 0), 0)
    expect(total).toBeGreaterThan(15)
  })

  it('scans a long text whole, in linear time whatever the pattern', () => {
    const text = `${'a'.repeat(100_000)}ORD-123456`
    expect([...re2Compiler({ name: 'p', pattern: 'ORD-\\d{6}' })(text)]).toEqual([[100_000, 100_010]])
  })
})
