import { describe, expect, it } from 'vitest'
import { createMasker, MAX_PATTERN_INPUT, regExpCompiler, vetPattern } from '../../../sdk/src/masking/masking.js'

// Brand patterns: what vetting refuses (with its reason) and accepts, and how they mask.

const vet = (pattern: string, caseInsensitive?: boolean) => vetPattern({ name: 'p', pattern, caseInsensitive })

describe('vetPattern', () => {
  it.each([
    ['(a+)+$', 'nested quantifiers'],
    ['(a+)+', 'nested quantifiers'],
    ['(a*)*b', 'nested quantifiers'],
    ['(x+x+)+y', 'overlapping quantifiers'],
    ['(\\w+\\s?)*$', 'nested quantifiers'],
    ['^(\\d+)*$', 'nested quantifiers'],
    ['([a-zA-Z]+)*', 'nested quantifiers'],
    ['(.*a){12}', 'nested quantifiers'],
    ['(?:a+b?){2,}c', 'nested quantifiers'],
    ['(a|aa)*b', 'overlapping alternatives in a repeated group'],
    ['(a|a)*b', 'overlapping alternatives in a repeated group'],
    ['(a|ab)+', 'overlapping alternatives in a repeated group'],
    ['(\\d|1)+x', 'overlapping alternatives in a repeated group'],
    ['\\d+\\d+$', 'overlapping quantifiers'],
    ['\\w+\\s?\\w+x', 'overlapping quantifiers'],
    ['.*.*=.*', 'overlapping quantifiers'],
    ['\\d{1,100}\\d{1,100}x', 'overlapping quantifiers'],
    ['[0-9a-f]{1,64}[0-9]{1,64}Z', 'overlapping quantifiers'],
    ['\\d+\\d{0,20}x', 'overlapping quantifiers'],
    ['\\d{0,9}\\d{0,9}\\d{0,9}\\d{0,9}x', 'overlapping quantifiers'],
    ['(\\d+)\\d+x', 'overlapping quantifiers'],
    ['\\d+(?:x|\\d{2,50})y', 'overlapping quantifiers'],
    ['(?:a\\d+|b)\\d+', 'overlapping quantifiers'],
    ['(a)\\1', 'backreferences are not supported'],
    ['(?<n>a)\\k<n>', 'named groups are not supported'],
    ['a(?=b)', 'lookahead and lookbehind are not supported'],
    ['a(?!b)', 'lookahead and lookbehind are not supported'],
    ['(?<=a)b', 'lookahead and lookbehind are not supported'],
    ['(?<!a)b', 'lookahead and lookbehind are not supported'],
    ['a{1,5000}', 'repetition counts over 1000 are not supported'],
    ['(', 'invalid syntax'],
    ['a{2,1}', 'invalid syntax'],
    ['[z-a]', 'invalid syntax'],
    ['a*', 'it can match an empty text'],
    ['^$', 'it can match an empty text'],
    ['x?|y*', 'it can match an empty text'],
    ['(a|)+', 'a repeated group can match nothing'],
  ])('refuses %j: %s', (pattern, reason) => {
    expect(vet(pattern)).toBe(reason)
  })

  it.each([
    'ORD-\\d{6}',
    '\\bACME-[A-Z]{2}\\d{4}\\b',
    '(cat|dog)+s',
    '[A-Z]{2}-\\d+',
    '\\w+@\\w+',
    'ticket #?\\d{5,8}',
    '(?:ab)+c',
    'caf\\u00e9 \\d{3}',
    '\\p{Lu}{3}\\d{4}',
    'x{3}',
    '[A-Z]{2}\\d{2}[A-Z0-9]{11,30}',
    '(\\d+)-(\\d+)',
    '\\d+(?:x\\d+)?',
    '\\d{3,5}\\d{2,4}',
    'ORD-(\\d{4,8})',
  ])('accepts %j', (pattern) => {
    expect(vet(pattern)).toBeNull()
  })

  it('judges case-insensitive overlaps with the i flag', () => {
    expect(vet('(a|A)+')).toBeNull()
    expect(vet('(a|A)+', true)).toBe('overlapping alternatives in a repeated group')
  })
})

describe('brand patterns', () => {
  const m = createMasker({
    patterns: [
      { name: 'order', pattern: 'ORD-\\d{6}', replacement: '[order]' },
      { name: 'member', pattern: 'member [a-z]{4}\\d{2}', caseInsensitive: true },
    ],
  })

  it('masks each match with the pattern replacement, reporting pattern:name', () => {
    expect(m.mask('see ORD-123456 and MEMBER abcd12.')).toEqual({
      text: 'see [order] and [hidden].',
      findings: [{ detector: 'pattern:order', start: 4, end: 14 }, { detector: 'pattern:member', start: 19, end: 32 }],
    })
  })

  it('lets a card number win over a brand pattern that overlaps it', () => {
    const cards = createMasker({ patterns: [{ name: 'digits', pattern: '\\d{4} \\d{4}' }] })
    expect(cards.mask('4111 1111 1111 1111').findings.map((f) => f.detector)).toEqual(['card'])
    expect(cards.mask('4111 1111').text).toBe('[hidden]')
  })

  it('is active with built-in detectors off, and runs on text without digits', () => {
    const words = createMasker({ card: { enabled: false }, securityCode: { enabled: false }, patterns: [{ name: 'code', pattern: 'secret-[a-z]+' }] })
    expect(words.active).toBe(true)
    expect(words.mask('it is secret-tunnel').text).toBe('it is [hidden]')
  })

  it('skips a pattern its compiler refuses, and masks with the others', () => {
    const masker = createMasker({ patterns: [{ name: 'bad', pattern: '(' }, { name: 'ok', pattern: 'ok\\d' }] })
    expect(masker.mask('ok1 (').text).toBe('[hidden] (')
  })
})

describe('regExpCompiler', () => {
  it('skips empty matches and finds the rest left to right', () => {
    expect([...regExpCompiler({ name: 'p', pattern: 'a*' })('baab a')]).toEqual([[1, 3], [5, 6]])
  })

  it(`scans only the first ${MAX_PATTERN_INPUT} characters of a text`, () => {
    const text = `${'x'.repeat(MAX_PATTERN_INPUT - 3)}abc abc`
    expect([...regExpCompiler({ name: 'p', pattern: 'abc' })(text)]).toEqual([[MAX_PATTERN_INPUT - 3, MAX_PATTERN_INPUT]])
  })

  it('matches whole code points (unicode flag)', () => {
    expect([...regExpCompiler({ name: 'p', pattern: '.x' })('😀x')]).toEqual([[0, 3]])
  })
})
