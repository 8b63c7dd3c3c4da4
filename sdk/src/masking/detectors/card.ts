import { isLuhnValid } from '../luhn.js'

// Card numbers: 13–19 digits passing Luhn, in groups split by separators (any space, dash, dot,
// slash, '+', line breaks; up to three in a row, e.g. " - "). A run of groups longer than 19 digits
// ("4111 1111 1111 1111 123", a date before the card) is searched for cards that start and end on
// group boundaries; one group over 19 digits is not a card. Digits and separators are disjoint
// classes, so the run pattern cannot backtrack.
const RUN = /\d(?:[\s./+-]{0,3}\d)*/g
const DIGIT = /\d+/g
const CARD_SHAPE = /^(?:\d+,|(?:4,)+[1-4],|4,6,[45],)$/

/** Calls `found(start, end)` for each card number in `view`. */
export function findCards(view: string, found: (start: number, end: number) => void): void {
  RUN.lastIndex = 0
  for (let m; (m = RUN.exec(view));) {
    const run = m[0]
    if (run.length < 13) continue
    const groups: [number, number, string][] = []
    DIGIT.lastIndex = 0
    for (let g; (g = DIGIT.exec(run));) groups.push([m.index + g.index, m.index + g.index + g[0].length, g[0]])
    // Grouped like a card (4-4-4-4, 4-4-4-4-3, Amex 4-6-5, Diners 4-6-4, or one group) first, so a
    // date or reference written before a card does not take the card's first groups; then any
    // grouping, on the groups left.
    const used: boolean[] = []
    for (const shaped of [true, false]) {
      for (let i = 0; i < groups.length;) {
        let last = -1
        for (let j = i, digits = '', shape = ''; j < groups.length && !used[j] && (digits += groups[j]![2]).length <= 19; j++) {
          shape += `${groups[j]![2].length},`
          if (digits.length >= 13 && (!shaped || CARD_SHAPE.test(shape)) && isLuhnValid(digits)) last = j
        }
        if (last < 0) { i++; continue }
        found(groups[i]![0], groups[last]![1])
        while (i <= last) used[i++] = true
      }
    }
  }
}

/** The part of a card `[start, end)` that is replaced when its first 6 and last 4 digits are kept. */
export function cardMiddle(view: string, start: number, end: number): [number, number] {
  const at = [...view.slice(start, end).matchAll(/\d/g)].map((m) => start + m.index)
  return [at[6]!, at[at.length - 5]! + 1]
}
