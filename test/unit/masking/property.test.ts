import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMasker } from '../../../sdk/src/masking/masking.js'
import { CARDS, SCRIPTS, SEPARATORS, digitsOf, inScript, isLuhnValid } from './fixtures.js'

// Properties over random text: an injected card number never survives in any script, and text with
// no Luhn-valid run of 13–19 digits comes back unchanged.

const cards = createMasker({ securityCode: { enabled: false } })
const everything = createMasker({ ssn: { enabled: true }, iban: { enabled: true }, email: { enabled: true }, phone: { enabled: true } })
const text = fc.string({ unit: 'binary', maxLength: 60 })
// What stands between the surrounding text and the card: a letter, a space or a line break, so
// digits of the random text do not glue onto the card's first or last group.
const boundary = fc.constantFrom(' ', 'x', '\n', 'é', '=', '\u00a0')
const zero = fc.constantFrom(...Object.values(SCRIPTS))

/** A card number written with a separator of its own between each of its brand's groups. */
const writtenCard = fc.record({
  card: fc.constantFrom(...CARDS),
  zero,
  seps: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 4, maxLength: 4 }),
}).map(({ card, zero, seps }) => {
  let at = 0
  const written = card.groups.map((n, i) => (i ? seps[i - 1] : '') + inScript(card.number.slice(at, (at += n)), zero)).join('')
  return { number: card.number, written }
})

/** Whether any 13–19 digits in a row of `digits` pass Luhn. */
function hasLuhnRun(digits: string): boolean {
  for (let i = 0; i < digits.length; i++) for (let n = 13; n <= 19 && i + n <= digits.length; n++) if (isLuhnValid(digits.slice(i, i + n))) return true
  return false
}

describe('masking random text', () => {
  it('leaves none of an injected card number\'s digits in sequence, in any script', () => {
    fc.assert(
      fc.property(text, boundary, writtenCard, boundary, text, (before, b1, { number, written }, b2, after) => {
        for (const masker of [cards, everything]) {
          const masked = masker.mask(before + b1 + written + b2 + after).text
          expect(digitsOf(masked)).not.toContain(number)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('masks a card number split across two messages in both', () => {
    fc.assert(
      fc.property(text, boundary, writtenCard, fc.integer({ min: 1, max: 30 }), (before, b1, { number, written }, cutAt) => {
        // Split between code points but never inside a percent escape: an escape comes from one URL,
        // which is never split across two messages.
        const points = written.match(/%[\dA-F]{2}|[^]/giu)!
        const cut = Math.min(cutAt, points.length - 1)
        // The earlier message is stored masked: that is what the relay passes as `previous`.
        const first = cards.mask(before + b1 + points.slice(0, cut).join('')).text
        const { result, previous } = cards.maskJoined(first, points.slice(cut).join(''))
        expect(digitsOf(`${previous ?? first}${result.text}`)).not.toContain(number)
      }),
      { numRuns: 300 },
    )
  })

  it('returns text without a Luhn-valid run of 13–19 digits unchanged when only card numbers are masked', () => {
    const digitish = fc.oneof(
      fc.constantFrom(...SEPARATORS, 'a', 'é', '٫', '\n'),
      fc.tuple(fc.integer({ min: 0, max: 9 }), zero).map(([d, z]) => String.fromCodePoint(z + d)),
      fc.string({ unit: 'binary', maxLength: 3 }),
    )
    fc.assert(
      fc.property(fc.array(digitish, { maxLength: 40 }).map((parts) => parts.join('')), (input) => {
        fc.pre(!hasLuhnRun(digitsOf(input)))
        expect(cards.mask(input)).toEqual({ text: input, findings: [] })
      }),
      { numRuns: 500 },
    )
  })
})
