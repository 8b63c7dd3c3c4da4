import { describe, expect, it } from 'vitest'
import { matchGlob } from '../../../../sdk/src/rules/glob.js'

// Glob edge cases as (pattern, text, expected) rows, then hostile patterns that would hang a
// backtracking matcher: here they must simply answer (the suite's timeout is the guard; the figures
// are in test/bench/rules.mjs).

const CASES: [string, string, boolean][] = [
  ['', '', true],
  ['', 'a', false],
  ['*', '', true],
  ['*', '/any/thing?x=1', true],
  ['**', '', true],
  ['/pricing', '/pricing', true],
  ['/pricing', '/pricing/', false],
  ['/pricing*', '/pricing', true],
  ['/pricing*', '/pricing/team', true],
  ['/pricing*', '/blog/pricing', false],
  ['*/pricing', '/en/pricing', true],
  ['*/pricing', '/en/pricing/x', false],
  ['/docs/*/intro', '/docs/a/b/c/intro', true], // `*` crosses `/`
  ['/docs/*/intro', '/docs//intro', true],
  ['/docs/*/intro', '/docs/intro', false],
  ['/p?ge', '/page', true],
  ['/p?ge', '/pge', false],
  ['/p?ge', '/paage', false],
  ['?', '', false],
  ['?', 'x', true],
  ['??', 'x', false],
  ['*?', '', false],
  ['*?', 'x', true],
  ['?*?', 'ab', true],
  ['a*b*c', 'abc', true],
  ['a*b*c', 'aXbYc', true],
  ['a*b*c', 'acb', false],
  ['a*b*c', 'abcbc', true],
  ['a*bc*bc', 'abcbc', true],
  ['a*bc*bc', 'abc', false], // pieces may not overlap
  ['*ab*ab*', 'aab', false],
  ['*ab*ab*', 'abab', true],
  ['*a?c*', 'xxabcxx', true],
  ['*a?c*', 'xxacxx', false],
  ['*a?c*a?c', 'abcadc', true],
  ['*a?c*a?c', 'abc', false],
  ['*??*', 'a', false],
  ['*?b?*', 'xxbx', true],
  ['a*', 'A', false], // case as given: callers fold
  ['.*', 'anything', false], // no regex meaning
  ['[ab]', 'a', false],
  ['[ab]', '[ab]', true],
  ['/a+b', '/a+b', true],
  ['*\\*', 'x\\y\\', true],
]

describe('matchGlob', () => {
  it.each(CASES)('%j against %j is %s', (pattern, text, expected) => {
    expect(matchGlob(pattern, text)).toBe(expected)
  })

  it('finds a piece with ? longer than one 32-bit word of the bit-parallel scan', () => {
    const piece = 'a'.repeat(40) + '?' + 'b'.repeat(40)
    expect(matchGlob(`*${piece}*`, `xx${'a'.repeat(50)}Z${'b'.repeat(40)}yy`)).toBe(true)
    expect(matchGlob(`*${piece}*`, `xx${'a'.repeat(50)}Z${'b'.repeat(39)}`)).toBe(false)
    expect(matchGlob(`*${piece}`, `${'a'.repeat(40)}Z${'b'.repeat(40)}`)).toBe(true)
  })

  it('agrees with a plain dynamic-programming matcher on random short patterns', () => {
    const reference = (p: string, t: string): boolean => {
      let row = Array.from({ length: t.length + 1 }, (_, j) => j === 0)
      for (const c of p) {
        const next = [c === '*' && row[0]!]
        for (let j = 1; j <= t.length; j++) next[j] = c === '*' ? next[j - 1]! || row[j]! : row[j - 1]! && (c === '?' || c === t[j - 1])
        row = next
      }
      return row[t.length]!
    }
    let seed = 7
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n
    const word = (alphabet: string, max: number): string => Array.from({ length: rand(max) }, () => alphabet[rand(alphabet.length)]).join('')
    const wrong: string[] = []
    for (let i = 0; i < 5000; i++) {
      const p = word('ab*?', 8)
      const t = word('ab', 10)
      if (matchGlob(p, t) !== reference(p, t)) wrong.push(`${p} ${t}`)
    }
    expect(wrong).toEqual([])
  })
})

describe('hostile globs', () => {
  const long = 'a'.repeat(2048)
  it.each([
    ['16 stars between a-pieces, ending in b', '*a'.repeat(16) + 'b', long, false],
    ['a 511-character piece that fails at its last character', '*' + 'a'.repeat(510) + 'b*', long, false],
    ['a ?-piece that fails at its last character', '*' + 'a?'.repeat(255) + 'b*', long, false],
    ['alternating ? and stars', '*?'.repeat(16), long, true],
    ['a piece that matches only at the very end', '*' + 'a'.repeat(500) + 'b', long.slice(1) + 'b', true],
  ])('%s answers', (_name, pattern, text, expected) => {
    for (let i = 0; i < 50; i++) expect(matchGlob(pattern, text)).toBe(expected)
  })
})
