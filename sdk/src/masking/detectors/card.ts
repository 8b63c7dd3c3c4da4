// Card numbers: 13–19 digits passing Luhn, in groups split by separators (any space, dash, dot,
// slash, '+', line breaks; up to four in a row: " - " and the line break that joins two messages).
// A run of groups longer than 19 digits ("4111 1111 1111 1111 123", a date before the card) is
// searched for cards that start and end on group boundaries; one group over 19 digits is not a card. Digits and separators are disjoint
// classes, so the run pattern cannot backtrack far. It matches only runs of 13 digits or more (a
// shorter one holds no card), tried only after a non-digit: the dates, prices and ids in most text
// cost no match object each, and a short run costs a try per group of it, not per digit.
const RUN = /(^|\D)(\d(?:[\s./+-]{0,4}\d){12,})/g
const CARD_SHAPE = /^(?:\d+|(?:4,)+[1-4]|4,6,[45])$/

/** Calls `found(start, end)` for each card number in `view`. */
export function findCards(view: string, found: (start: number, end: number) => void): void {
  RUN.lastIndex = 0
  for (let m; (m = RUN.exec(view));) {
    const run = m[2]!
    const at = RUN.lastIndex - run.length
    // Each group's [start, end) in the view and how many of the run's digits come before it; Luhn
    // sums of the digits before each index, doubling even (`even`) or odd (`odd`) indexes, so any
    // window's check costs two subtractions.
    const groups: number[][] = []
    const even = [0]
    const odd = [0]
    let count = 0
    for (let k = 0, open = false; k <= run.length; k++) {
      const c = run.charCodeAt(k) - 48
      const digit = c >= 0 && c <= 9
      if (digit && !open) groups.push([at + k, 0, count])
      if (!digit && open) groups[groups.length - 1]![1] = at + k
      if ((open = digit)) {
        const twice = c * 2 > 9 ? c * 2 - 9 : c * 2
        even.push(even[count]! + (count % 2 ? c : twice))
        odd.push(odd[count]! + (count % 2 ? twice : c))
        count++
      }
    }
    groups.push([0, 0, count])
    // Grouped like a card (4-4-4-4, 4-4-4-4-3, Amex 4-6-5, Diners 4-6-4, or one group) first, so a
    // date or reference written before a card does not take the card's first groups; then any
    // grouping, on the groups left.
    const used: boolean[] = []
    for (const shaped of [true, false]) {
      for (let i = 0; i < groups.length - 1;) {
        let last = -1
        for (let j = i, n; j < groups.length - 1 && !used[j] && (n = groups[j + 1]![2]! - groups[i]![2]!) <= 19; j++) {
          const a = groups[i]![2]!
          const b = groups[j + 1]![2]!
          // The last digit is never doubled: from it, every other one leftwards is.
          const sum = b % 2 ? odd : even
          if (n >= 13 && (sum[b]! - sum[a]!) % 10 === 0 &&
            (!shaped || CARD_SHAPE.test(groups.slice(i, j + 1).map((g) => g[1]! - g[0]!).join()))) last = j
        }
        if (last < 0) { i++; continue }
        found(groups[i]![0]!, groups[last]![1]!)
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

