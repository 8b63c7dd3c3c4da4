import type { BrandPattern } from '../contract/masking.js'

// Vets a brand pattern before it is saved: it must compile as a unicode RegExp and stay inside the
// subset that both a backtracking engine (the widget's RegExp) and a linear-time one (the relay's
// RE2) run safely. Conservative by design: it refuses some harmless patterns rather than let one
// through that can hang a browser. Refused:
//   - backreferences (\1, \k<name>), lookahead and lookbehind, named groups and other (?…) groups
//   - a repeated group that contains a quantifier ((a+)+, (\w+\s?)*, (x+x+)+y, (a|b?){3})
//   - a repeated group whose alternatives can start with the same character ((a|a)*, (a|ab)+)
//   - two unbounded quantifiers over overlapping characters with only optional or overlapping
//     atoms between them (\d+\d+, a*\s?a+, .*x.*); a quantifier whose max exceeds its min by more
//     than WIDE counts as unbounded (\d{1,100}\d{1,100}x backtracks like \d+\d+x on short input)
//   - such a run of overlapping bounded quantifiers whose choices multiply past MAX_CHOICES
//     (\d{0,9}\d{0,9}\d{0,9}\d{0,9}x)
//   - repetition counts over 1000, and patterns that can match the empty text

interface Atom {
  /** Fewest characters it matches. */
  min: number
  /** Whether it contains a repeating quantifier. */
  quant: boolean
  /** Source matching the characters it can start with (one character); null: could be anything. */
  set: string | null
  /** For a group: each alternative's `set`. */
  firsts?: (string | null)[]
  /** The run of overlapping variable-count atoms still open at its end (see Run). */
  run?: Run
}

/**
 * A run of atoms with a variable count over overlapping characters, with nothing between them that
 * stops a backtracking engine: the last one's set and the product of their choices (max − min + 1
 * each, Infinity when unbounded or wider than WIDE). undefined: no run is open.
 */
type Run = [set: string | null, choices: number] | undefined

// How far a quantifier's max may exceed its min before it counts as unbounded, and how many ways a
// run of overlapping quantifiers may split the characters it matches (the product of each one's
// max − min + 1) before a backtracking engine's work per start position is too much.
const WIDE = 10
const MAX_CHOICES = 1000
const SAMPLES = [...Array.from({ length: 128 }, (_, c) => String.fromCharCode(c)), 'é', 'ß', 'Ω', 'я', '٣', '中', '\u00a0', '😀']

/** Why a brand pattern is refused (null: accepted). Checked when a configuration is saved. */
export function vetPattern(pattern: BrandPattern): string | null {
  const flags = pattern.caseInsensitive ? 'iu' : 'u'
  try {
    new RegExp(pattern.pattern, flags)
  } catch {
    return 'invalid syntax'
  }
  try {
    const top = new Guard(pattern.pattern, flags).parse()
    return top.min === 0 ? 'it can match an empty text' : null
  } catch (reason) {
    if (typeof reason === 'string') return reason
    throw reason
  }
}

class Guard {
  #src: string
  #flags: string
  #i = 0
  #sets = new Map<string, RegExp>()

  constructor(src: string, flags: string) {
    this.#src = src
    this.#flags = flags
  }

  parse(): Atom {
    return this.#alternation(undefined)
  }

  // A group continues the run open before it (`\d+(\d+)x` backtracks like `\d+\d+x`), so each
  // alternative starts from it; the group ends with the widest run any alternative leaves open.
  #alternation(before: Run): Atom {
    const alts = [this.#sequence(before)]
    while (this.#src[this.#i] === '|') {
      this.#i++
      alts.push(this.#sequence(before))
    }
    const runs = alts.map((a) => a.run).filter((r) => r !== undefined)
    return {
      min: Math.min(...alts.map((a) => a.min)),
      quant: alts.some((a) => a.quant),
      set: alts.length === 1 ? alts[0]!.set : null,
      firsts: alts.map((a) => a.set),
      run: runs.length ? [runs.every((r) => r[0] === runs[0]![0]) ? runs[0]![0] : null, Math.max(...runs.map((r) => r[1]))] : undefined,
    }
  }

  #sequence(before: Run): Atom {
    let min = 0
    let quant = false
    let set: string | null | undefined
    // The set of the last atom with a variable count while a run is open, and the run's choices.
    let open = before?.[0]
    let choices = before?.[1] ?? 1
    while (this.#i < this.#src.length && this.#src[this.#i] !== '|' && this.#src[this.#i] !== ')') {
      const atom = this.#atom(open === undefined ? undefined : [open, choices])
      const q = this.#quantifier()
      let atomMin = atom.min
      if (q) {
        const repeats = q[1] > 1
        if (repeats && atom.firsts) {
          if (atom.quant) throw 'nested quantifiers'
          if (atom.min === 0) throw 'a repeated group can match nothing'
          if (this.#anyOverlap(atom.firsts)) throw 'overlapping alternatives in a repeated group'
        }
        atomMin *= q[0]
        quant ||= repeats
      }
      const ways = q ? (q[1] - q[0] > WIDE ? Infinity : q[1] - q[0] + 1) : 1
      const overlaps = open !== undefined && this.#overlap(open, atom.set)
      if (atom.firsts && (!q || q[1] < 2)) {
        // A group matched at most once went on from our run (checked inside); one that may be
        // skipped leaves the run as it was when its own ended.
        const run: Run = atom.run ?? (q && open !== undefined ? [open, choices] : undefined)
        open = run?.[0]
        choices = run?.[1] ?? 1
      } else if (ways > 1 && overlaps) {
        if ((choices *= ways) > MAX_CHOICES) throw 'overlapping quantifiers'
        open = atom.set
      } else if (ways > 1 && (atomMin > 0 || open === undefined)) {
        open = atom.set
        choices = ways
      } else if (atomMin > 0 && !overlaps) open = undefined
      if (set === undefined) set = atomMin > 0 ? atom.set : null
      min += atomMin
      quant ||= atom.quant
    }
    return { min, quant, set: set ?? null, run: open === undefined ? undefined : [open, choices] }
  }

  #atom(before: Run): Atom {
    const src = this.#src
    const c = src[this.#i]!
    if (c === '(') {
      if (src[++this.#i] === '?') {
        if (src[this.#i + 1] !== ':') throw src[this.#i + 1] === '<' && !'=!'.includes(src[this.#i + 2]!) ? 'named groups are not supported' : 'lookahead and lookbehind are not supported'
        this.#i += 2
      }
      const inner = this.#alternation(before)
      this.#i++
      return inner
    }
    const start = this.#i
    if (c === '[') {
      while (src[++this.#i] !== ']') if (src[this.#i] === '\\') this.#i++
      return { min: 1, quant: false, set: src.slice(start, ++this.#i) }
    }
    if (c === '\\') {
      const e = src[this.#i + 1]!
      if (/[1-9k]/.test(e)) throw 'backreferences are not supported'
      this.#i += 2
      if ('pPu'.includes(e) && src[this.#i] === '{') this.#i = src.indexOf('}', this.#i) + 1
      else this.#i += e === 'u' ? 4 : e === 'x' ? 2 : e === 'c' ? 1 : 0
      if (e === 'b' || e === 'B') return { min: 0, quant: false, set: null }
      return { min: 1, quant: false, set: src.slice(start, this.#i) }
    }
    if (c === '^' || c === '$') {
      this.#i++
      return { min: 0, quant: false, set: null }
    }
    const cp = src.codePointAt(this.#i)!
    this.#i += cp > 0xffff ? 2 : 1
    return { min: 1, quant: false, set: c === '.' ? '.' : `\\u{${cp.toString(16)}}` }
  }

  /** The quantifier after an atom as [min, max], or null. */
  #quantifier(): [number, number] | null {
    const src = this.#src
    let q: [number, number]
    const c = src[this.#i]
    if (c === '*') q = [0, Infinity]
    else if (c === '+') q = [1, Infinity]
    else if (c === '?') q = [0, 1]
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(this.#i))!
      q = [+m[1]!, m[2] ? (m[3] ? +m[3] : Infinity) : +m[1]!]
      if (q[0] > 1000 || (q[1] > 1000 && q[1] !== Infinity)) throw 'repetition counts over 1000 are not supported'
      this.#i += m[0].length - 1
    } else return null
    if (src[++this.#i] === '?') this.#i++
    return q
  }

  #anyOverlap(sets: (string | null)[]): boolean {
    return sets.some((a, i) => sets.some((b, j) => j > i && this.#overlap(a, b)))
  }

  /** Whether two one-character sets share a character (null: anything), judged on sample characters. */
  #overlap(a: string | null, b: string | null): boolean {
    if (a === null || b === null) return true
    return SAMPLES.some((ch) => this.#set(a).test(ch) && this.#set(b).test(ch))
  }

  #set(source: string): RegExp {
    let re = this.#sets.get(source)
    if (!re) this.#sets.set(source, (re = new RegExp(`^(?:${source})$`, this.#flags)))
    return re
  }
}
