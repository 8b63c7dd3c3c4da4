import { isLuhnValid } from '../luhn.js'

// Card numbers: 13–19 digits passing Luhn, in groups split by separators (any space, dash, dot,
// slash, '+', line breaks; up to three in a row, e.g. " - "). A run of groups longer than 19 digits
// ("4111 1111 1111 1111 123", a date before the card) is searched for cards that start and end on
// group boundaries; one group over 19 digits is not a card. Digits and separators are disjoint
// classes, so the run pattern cannot backtrack.
const RUN = /\d(?:[\s./+-]{0,3}\d)*/g
const DIGIT = /\d+/g

/** Calls `found(start, end)` for each card number in `view`, left to right. */
export function findCards(view: string, found: (start: number, end: number) => void): void {
  RUN.lastIndex = 0
  for (let m; (m = RUN.exec(view));) {
    const run = m[0]
    if (run.length < 13) continue
    const groups: [number, number, string][] = []
    DIGIT.lastIndex = 0
    for (let g; (g = DIGIT.exec(run));) groups.push([m.index + g.index, m.index + g.index + g[0].length, g[0]])
    for (let i = 0; i < groups.length;) {
      let last = -1
      for (let j = i, digits = ''; j < groups.length && (digits += groups[j]![2]).length <= 19; j++) {
        if (digits.length >= 13 && isLuhnValid(digits)) last = j
      }
      if (last < 0) { i++; continue }
      found(groups[i]![0], groups[last]![1])
      i = last + 1
    }
  }
}

/** The part of a card `[start, end)` that is replaced when its first 6 and last 4 digits are kept. */
export function cardMiddle(view: string, start: number, end: number): [number, number] {
  let from = start
  for (let n = 0; n < 6; from++) if (isDigit(view, from)) n++
  while (!isDigit(view, from)) from++
  let to = end
  for (let n = 0; n < 4;) if (isDigit(view, --to)) n++
  while (!isDigit(view, to - 1)) to--
  return [from, to]
}

function isDigit(view: string, i: number): boolean {
  const c = view.charCodeAt(i)
  return c >= 48 && c <= 57
}
