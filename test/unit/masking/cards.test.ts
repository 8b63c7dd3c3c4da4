import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMasker } from '../../../sdk/src/masking/masking.js'
import { findCards } from '../../../sdk/src/masking/detectors/card.js'
import { CARDS, SCRIPTS, SEPARATORS, formatCard, isLuhnValid } from './fixtures.js'

// The table of card cases: 8 brands' test numbers × every separator × digit scripts, alone, inside
// words and inside URLs; kept digits; Luhn-failing numbers, order numbers and dates left alone.

const cardsOnly = createMasker({ securityCode: { enabled: false } })
const everything = createMasker({ ssn: { enabled: true }, iban: { enabled: true }, email: { enabled: true }, phone: { enabled: true } })

describe.each(CARDS)('a $brand card number', (card) => {
  it('is a Luhn-valid test number', () => {
    expect(isLuhnValid(card.number)).toBe(true)
  })

  it.each(Object.entries(SCRIPTS))('is masked in %s digits with every separator, alone, in words and in URLs', (_script, zero) => {
    const wrong: string[] = []
    for (const sep of SEPARATORS) {
      const written = formatCard(card, sep, zero)
      for (const [before, after] of [['', ''], ['my card is ', ' thanks'], ['abc', 'xyz'], ['https://shop.example/pay?n=', '&go=1']] as const) {
        const result = cardsOnly.mask(before + written + after)
        const expected = { text: `${before}[card]${after}`, findings: [{ detector: 'card', start: before.length, end: before.length + written.length }] }
        if (JSON.stringify(result) !== JSON.stringify(expected)) wrong.push(JSON.stringify({ sep, before, result }))
      }
    }
    expect(wrong).toEqual([])
  })

  it('is masked first among every detector', () => {
    expect(everything.mask(`pay ${formatCard(card, '-')} now`).text).toBe('pay [card] now')
  })

  it('keeps its first 6 and last 4 digits with keep: first6last4', () => {
    const keep = createMasker({ card: { keep: 'first6last4' } })
    const n = card.number
    expect(keep.mask(`card ${n}.`).text).toBe(`card ${n.slice(0, 6)}[card]${n.slice(-4)}.`)
  })

  it('is left alone when one digit is changed so Luhn fails', () => {
    const n = card.number
    const broken = n.slice(0, -1) + String((Number(n.at(-1)) + 1) % 10)
    expect(isLuhnValid(broken)).toBe(false)
    const text = `order ${broken} shipped`
    expect(cardsOnly.mask(text)).toEqual({ text, findings: [] })
  })
})

describe('card numbers', () => {
  it.each([
    ['4111 1111 1111 1111', '4111 11[card] 1111'],
    ['4111-1111-1111-1111', '4111-11[card]-1111'],
    ['３７８２ ８２２４６３ １０００５', '３７８２ ８２[card]０００５'],
    ['𝟒𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏𝟏', '𝟒𝟏𝟏𝟏𝟏𝟏[card]𝟏𝟏𝟏𝟏'],
  ])('keep: first6last4 replaces the middle of %j in the original script', (text, masked) => {
    expect(createMasker({ card: { keep: 'first6last4' } }).mask(text).text).toBe(masked)
  })

  it('masks the card and leaves the trailing group to the security code detector', () => {
    expect(cardsOnly.mask('4111 1111 1111 1111 123').text).toBe('[card] 123')
    expect(createMasker(null).mask('4111 1111 1111 1111 123').text).toBe('[card] [security code]')
  })

  it('finds a card after a date in the same run of digit groups', () => {
    expect(cardsOnly.mask('2024-01-05 4111-1111-1111-1111').text).toBe('2024-01-05 [card]')
  })

  it('finds a card written in unusual groups when no card-shaped grouping passes Luhn', () => {
    expect(cardsOnly.mask('41 11 11 11 11 11 11 11').text).toBe('[card]')
  })

  it('leaves a Luhn-failing number in card groups alone', () => {
    const text = 'ref 4111 1111 1111 1112 ok'
    expect(cardsOnly.mask(text)).toEqual({ text, findings: [] })
  })

  it('does not take a bare run of more than 19 digits for a card', () => {
    const text = 'ref 41111111111111111234 and 1234567890411111111111111111'
    expect(cardsOnly.mask(text)).toEqual({ text, findings: [] })
  })

  it('masks two cards in one text and uses the brand replacement', () => {
    const m = createMasker({ card: { replacement: '****' } })
    expect(m.mask('4111111111111111 or 5555 5555 5555 4444?').text).toBe('**** or ****?')
  })

  it.each([
    'Order #1234567890123 shipped',
    'tracking 1Z999AA10123456784',
    'on 2024-01-05 at 10:30, and 05/01/2024, 2024.01.05',
    'between 2024-01-05 and 2024-02-06',
    'invoice 2024-0001-0002-0003',
    'version 1.2.3 on 10.0.0.1',
  ])('leaves %j alone', (text) => {
    expect(everything.mask(text)).toEqual({ text, findings: [] })
  })

  it('does nothing when the card detector is off', () => {
    const off = createMasker({ card: { enabled: false }, securityCode: { enabled: false } })
    expect(off.active).toBe(false)
    expect(off.mask('4111 1111 1111 1111')).toEqual({ text: '4111 1111 1111 1111', findings: [] })
  })
})

describe('the card finder', () => {
  const cardsIn = (view: string): [number, number][] => {
    const found: [number, number][] = []
    findCards(view, (start, end) => found.push([start, end]))
    return found
  }
  // A run: digits joined by up to four separators in a row. The finder skips the runs too short to
  // hold a card without matching them; what it finds in a text must be what it finds in each whole
  // run alone, at that run's place.
  const RUN = /\d(?:[\s./+-]{0,4}\d)*/g
  const piece = fc.oneof(
    fc.constantFrom('0', '4', '7', '9', ' ', '-', '.', '/', '+', '\n', '     ', 'a', 'x-', '(', '12/27 ', '030 1234567'),
    fc.constantFrom(...CARDS).chain((card) => fc.constantFrom(...SEPARATORS).map((sep) => formatCard(card, sep))),
    fc.stringMatching(/^\d{1,20}$/),
  )

  it('finds in a text exactly what it finds in each run of digit groups alone', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }).map((p) => p.join('')), (view) => {
        const expected = [...view.matchAll(RUN)].flatMap((m) => cardsIn(m[0]).map(([s, e]): [number, number] => [m.index + s, m.index + e]))
        expect(cardsIn(view)).toEqual(expected)
      }),
      { numRuns: 2000 },
    )
  })

  it('finds a card of 13 digits, the fewest a card has, alone and in groups', () => {
    // A Visa test number of 13 digits: the run pattern's threshold is exactly its length.
    expect(cardsIn('4222222222222')).toEqual([[0, 13]])
    expect(cardsIn('card 4222 2222 2222 2 ok')).toEqual([[5, 21]])
    expect(cardsIn('card 422222222222 ok')).toEqual([])
  })

  it('finds a card at the very start, after a letter and after a short run', () => {
    expect(cardsIn('4111111111111111')).toEqual([[0, 16]])
    expect(cardsIn('x4111 1111 1111 1111')).toEqual([[1, 20]])
    expect(cardsIn('12 34 5a4111-1111-1111-1111')).toEqual([[8, 27]])
  })
})
