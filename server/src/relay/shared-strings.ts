import type { VisitorContext } from '@parley/sdk/contract'

// A visitor's page context stays on their connection for as long as it is open (the message that
// opens a conversation records it), and most visitors of a site share its strings: the landing
// page's address and title, the common user agents, languages, time zones and screen sizes. Each
// hello's strings are new copies (JSON.parse makes them), so equal ones are kept once here
// (measured in test/bench/README.md). Long strings (one-off addresses with query strings, mostly)
// are not kept: the table holds at most MAX_SHARED_STRINGS of MAX_SHARED_LENGTH characters, about
// 4 MB at worst, and an erasure empties it (erased-visitors.ts).

/** The context's strings that many visitors share. */
const SHARED_FIELDS = ['url', 'title', 'referrer', 'language', 'userAgent', 'timezone', 'screen'] as const

/** Distinct strings kept; past it the table starts over (a string then only stops being shared). */
export const MAX_SHARED_STRINGS = 4096
/** Longer strings are left as they are. */
export const MAX_SHARED_LENGTH = 512

/** Equal strings of visitors' contexts, kept once per relay. */
export class SharedStrings {
  readonly #strings = new Map<string, string>()
  readonly #max: number

  constructor(max = MAX_SHARED_STRINGS) {
    this.#max = max
  }

  /** Distinct strings kept now. */
  get size(): number {
    return this.#strings.size
  }

  /** Lets every kept string go (a visitor was erased: their page addresses and titles go from memory too). */
  clear(): void {
    this.#strings.clear()
  }

  /**
   * Puts the kept copy of each shared string into `context` (changed in place: equal strings, so
   * whoever else holds it sees the same values) and returns it.
   */
  share<C extends VisitorContext | null>(context: C): C {
    if (context === null) return context
    for (const field of SHARED_FIELDS) {
      const value = context[field]
      if (value === undefined || value === '' || value.length > MAX_SHARED_LENGTH) continue
      const kept = this.#strings.get(value)
      if (kept !== undefined) {
        context[field] = kept
        continue
      }
      if (this.#strings.size >= this.#max) this.#strings.clear()
      this.#strings.set(value, value)
    }
    return context
  }
}
