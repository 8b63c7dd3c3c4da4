// Entry point of `@parley/sdk/masking`: the one masking engine, run by the widget (before a message
// enters the outbox), by the relay (before anything is stored, logged or fanned out) and by the SDK's
// `parley.masking.test()`. Pure: no Node or DOM APIs, so all three run the same code.
//
// The built-in detectors run on the text's digit view (digit-view.ts: any script's digits as ASCII,
// percent-encoded separators decoded) and their matches are replaced in the original text; brand
// patterns run on the original text through the injected PatternCompiler.
import { MASK_DETECTORS, MASKING_DEFAULTS } from '../contract/masking-defaults.js'
import type { MaskingConfig, MaskResult } from '../contract/masking.js'
import { cardMiddle, findCards } from './detectors/card.js'
import { findEmails } from './detectors/email.js'
import { findIbans } from './detectors/iban.js'
import { findPhones } from './detectors/phone.js'
import { findCodeAfterCard, findCodesAfterWords } from './detectors/security-code.js'
import { findSsns } from './detectors/ssn.js'
import { toDigitView } from './digit-view.js'
import type { Hit } from './hit.js'
import { regExpCompiler, type PatternCompiler } from './regexp-compiler.js'
import { applyHits, resolveOverlaps } from './resolve.js'

export { vetPattern } from './pattern-guard.js'
export { MAX_PATTERN_INPUT, regExpCompiler, type PatternCompiler, type PatternMatcher } from './regexp-compiler.js'

/** How many characters at the end of a sender's previous message are checked with their next one. */
export const TAIL_CHARS = 64

/** A brand's configuration, compiled once and used for every text. */
export interface Masker {
  /** Whether any detector is on (a brand that turned everything off pays nothing). */
  readonly active: boolean
  /** Masks one text. */
  mask(text: string): MaskResult
  /**
   * Masks `text` as the next message after `previous` from the same sender: a value split across the
   * two (`4111 1111` then `1111 1111 1111`) is masked in both. `previous` is the stored (already
   * masked) text; only its last TAIL_CHARS characters are looked at. Returns the masked text and,
   * when the earlier message must change too, its new text (else null).
   */
  maskJoined(previous: string, text: string): { result: MaskResult; previous: string | null }
}

// Text with no digit (in any script) and no '@' (nor the full-width '＠' or small '﹫', which read
// as '@') has nothing a built-in detector looks for. The Unicode classes cost ~20 ns a character to
// scan, so only text with non-ASCII goes through them; text with neither an ASCII digit, '@' nor
// non-ASCII (most chat) is scanned once.
const ANY_MAYBE = /[\d@\x80-\uffff]/
const ASCII_MAYBE = /[\d@]/
const UNICODE_MAYBE = /[\p{N}\uff20\ufe6b]/u
const FINDERS = { ssn: findSsns, iban: findIbans, email: findEmails, phone: findPhones } as const

/**
 * Compiles a brand's masking configuration (null: the defaults). Brand patterns go through `compile`
 * (default: the browser's RegExp on capped input; the relay passes its linear-time compiler); a
 * pattern that does not compile is skipped, since configurations are vetted when saved.
 */
export function createMasker(config: MaskingConfig | null | undefined, compile: PatternCompiler = regExpCompiler): Masker {
  const replacements: Record<string, string> = {}
  const on = new Set<string>()
  for (const d of MASK_DETECTORS) {
    const s = { ...MASKING_DEFAULTS[d], ...config?.[d] }
    replacements[d] = s.replacement
    if (s.enabled) on.add(d)
  }
  const keep = config?.card?.keep === 'first6last4'
  const patterns = (config?.patterns ?? []).flatMap((p) => {
    const detector = `pattern:${p.name}`
    replacements[detector] = p.replacement ?? MASKING_DEFAULTS.pattern.replacement
    try {
      return [{ detector, match: compile(p) }]
    } catch {
      return []
    }
  })
  const active = on.size > 0 || patterns.length > 0
  const finders = Object.entries(FINDERS).filter(([d]) => on.has(d))

  const findHits = (text: string): Hit[] => {
    const hits: Hit[] = []
    if (on.size && ANY_MAYBE.test(text) && (ASCII_MAYBE.test(text) || UNICODE_MAYBE.test(text))) {
      const { view, at } = toDigitView(text)
      const pos = (i: number): number => (at ? at[i]! : i)
      const add = (detector: string, start: number, end: number, from = start, to = end): void => {
        hits.push([detector, pos(start), pos(end), pos(from), pos(to)])
      }
      const codes = on.has('securityCode')
      if (on.has('card') || codes) {
        findCards(view, (start, end) => {
          if (on.has('card')) add('card', start, end, ...(keep ? cardMiddle(view, start, end) : [start, end]))
          const code = codes && findCodeAfterCard(view, end)
          if (code) add('securityCode', ...code)
        })
      }
      if (codes) findCodesAfterWords(view, (start, end) => add('securityCode', start, end))
      for (const [d, find] of finders) find(view, (start, end) => add(d, start, end))
    }
    for (const p of patterns) for (const [start, end] of p.match(text)) hits.push([p.detector, start, end, start, end])
    return resolveOverlaps(hits, text.length)
  }
  return {
    active,
    mask: (text) => applyHits(text, findHits(text), replacements),
    maskJoined(previous, text) {
      let cut = Math.max(0, previous.length - TAIL_CHARS)
      // Never start the tail between the halves of a surrogate pair.
      if ((previous.charCodeAt(cut) & 0xfc00) === 0xdc00) cut++
      const tail = previous.slice(cut)
      // The join is a line break, a separator like any other.
      const offset = tail.length + 1
      const hits = findHits(`${tail}\n${text}`)
      const clip = ([d, ...at]: Hit, lo: number, hi: number, shift: number) => [d, ...at.map((i) => Math.min(Math.max(i, lo), hi) + shift)] as Hit
      const mine = hits.filter((h) => h[2] > offset).map((h) => clip(h, offset, offset + text.length, -offset))
      const spanning = hits.filter((h) => h[1] < tail.length && h[2] > offset).map((h) => clip(h, 0, tail.length, cut))
      return {
        result: applyHits(text, mine, replacements),
        previous: spanning.some((h) => h[4] > h[3]) ? applyHits(previous, spanning, replacements).text : null,
      }
    },
  }
}

/** The relay's masker: createMasker's, with the checks it makes on every message made cheap. */
export interface RelayMasker extends Masker {
  /**
   * The built-in detector that finds a value in a client-chosen id (e.g. `card`), or null. Brand
   * patterns don't count: one written for the brand's texts (`[A-Za-z0-9]{20,}` for API keys) can
   * match the widget's random ids, and refusing them would refuse every message of the brand.
   */
  hiddenInId(id: string): string | null
}

/**
 * The masker the relay runs on every message: the same results as `createMasker`'s (a property test
 * holds them equal). Without brand patterns, only text with a digit, an '@' or non-ASCII can hide a
 * value, so most chat (and a sender's words-only previous message) returns at once, with no join of
 * the two texts and no arrays built for hits that cannot exist. Not in the widget's bundle: the
 * widget masks one message at a time, the relay thousands a second.
 */
export function createRelayMasker(config: MaskingConfig | null | undefined, compile: PatternCompiler = regExpCompiler): RelayMasker {
  const all = createMasker(config, compile)
  const builtIns = createMasker({ ...config, patterns: [] }, compile)
  // A brand pattern may match any text, so with one every text takes the full path.
  const plain = !config?.patterns?.length
  return {
    active: all.active,
    mask: (text) => (plain && !ANY_MAYBE.test(text) ? { text, findings: [] } : all.mask(text)),
    maskJoined: (previous, text) =>
      plain && !ANY_MAYBE.test(previous) && !ANY_MAYBE.test(text) ? { result: { text, findings: [] }, previous: null } : all.maskJoined(previous, text),
    hiddenInId(id) {
      if (!builtIns.active || !ANY_MAYBE.test(id)) return null
      return builtIns.mask(id).findings[0]?.detector ?? null
    },
  }
}
