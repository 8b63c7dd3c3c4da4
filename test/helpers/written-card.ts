import fc from 'fast-check'
import { CARDS, SCRIPTS, SEPARATORS, digitsOf, inScript, isLuhnValid } from '../unit/masking/fixtures.js'

// Card numbers as a visitor may write them, for the property tests that follow one through the
// relay or the widget: a Luhn-valid number of one of the brands, in any digit script the engine
// reads, grouped as its brand groups it with any separator it reads (invisible and full-width
// ones included), and the forms in which its digits could survive somewhere.

export interface WrittenCard {
  /** The digits, ASCII. */
  digits: string
  /** The digits in the script written, without separators. */
  scriptDigits: string
  /** As typed: the script's digits in groups, with the separator. */
  typed: string
  /** The separator, and the code point of the script's zero. */
  separator: string
  zero: number
}

/** Every string in `value` (frames, log lines, stored rows), however deeply nested. */
export function stringsIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const v of value) stringsIn(v, out)
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringsIn(v, out)
  return out
}

/** The forms of the card to look for as bytes or substrings: ASCII digits, the script's digits, typed, typed after NFKC. */
export function formsOf(card: WrittenCard): string[] {
  return [...new Set([card.digits, card.scriptDigits, card.typed, card.typed.normalize('NFKC')])]
}

/**
 * The digits of `text` in any script, as ASCII, with percent escapes read as separators (so
 * `4111%201111…` reads as the card's digits, not with the escape's `2` and `0` among them).
 */
export function cardDigitsOf(text: string): string {
  return digitsOf(text.replace(/%[\dA-F]{2}/giu, ' '))
}

/** The strings among `strings` whose digits, read in any script, hold the card's digit string. */
export function holdingCard(strings: string[], card: WrittenCard): string[] {
  return strings.filter((s) => cardDigitsOf(s).includes(card.digits))
}

function luhnDigit(body: string): number {
  for (let d = 0; d <= 9; d++) if (isLuhnValid(body + d)) return d
  throw new Error('unreachable')
}

/** A Luhn-valid number with one of the fixture brands' prefix (first 1–4 digits) and grouping. */
const cardNumber = fc.tuple(
  fc.constantFrom(...CARDS),
  fc.integer({ min: 1, max: 4 }),
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 19, maxLength: 19 }),
).map(([card, keep, rest]) => {
  const length = card.number.length
  const body = card.number.slice(0, keep) + rest.join('').slice(0, length - keep - 1)
  return { digits: body + luhnDigit(body), groups: card.groups as readonly number[] }
})

export const writtenCard: fc.Arbitrary<WrittenCard> = fc.record({
  card: cardNumber,
  zero: fc.constantFrom(...Object.values(SCRIPTS)),
  separator: fc.constantFrom(...SEPARATORS),
}).map(({ card, zero, separator }) => {
  const groups: string[] = []
  let at = 0
  for (const n of card.groups) groups.push(inScript(card.digits.slice(at, (at += n)), zero))
  return { digits: card.digits, scriptDigits: inScript(card.digits, zero), typed: groups.join(separator), separator, zero }
})
