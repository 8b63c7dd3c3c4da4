// Entry point of `@parley/sdk/masking`: the one masking engine, run by the widget (before a message
// enters the outbox), by the relay (before anything is stored, logged or fanned out) and by the SDK's
// `parley.masking.test()`. Pure: no Node or DOM APIs, so all three run the same code.
//
// SKELETON (issue 13, first commit): the API below is what the widget, relay and SDK build on; the
// detectors behind it land in the masking-engine commits that follow.
import type { BrandPattern, MaskFinding, MaskingConfig, MaskResult } from '../contract/masking.js'
import { MASKING_DEFAULTS } from '../contract/masking-defaults.js'

/** Finds a brand pattern's matches as `[start, end)` ranges, left to right, not overlapping. */
export type PatternMatcher = (text: string) => Iterable<readonly [number, number]>
/** Turns a vetted brand pattern into a matcher: RegExp in browsers, a linear-time engine at the relay. */
export type PatternCompiler = (pattern: BrandPattern) => PatternMatcher

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

/** Compiles a brand's masking configuration (null: the defaults). */
export function createMasker(config: MaskingConfig | null | undefined, compile?: PatternCompiler): Masker {
  const card = { ...MASKING_DEFAULTS.card, ...config?.card }
  void compile
  const mask = (text: string): MaskResult => {
    if (!card.enabled) return { text, findings: [] }
    const findings: MaskFinding[] = []
    const out = text.replace(/\d(?:[ -]?\d){12,18}/g, (m, start: number) => {
      if (!luhn(m.replace(/\D/g, ''))) return m
      findings.push({ detector: 'card', start, end: start + m.length })
      return card.replacement
    })
    return { text: out, findings }
  }
  return {
    active: card.enabled,
    mask,
    maskJoined: (_previous, text) => ({ result: mask(text), previous: null }),
  }
}

/** Why a brand pattern is refused (null: accepted). Checked when a configuration is saved. */
export function vetPattern(pattern: BrandPattern): string | null {
  if (/\\[1-9]|\(\?[=!<]/.test(pattern.pattern)) return 'backreferences and lookaround are not supported'
  return null
}

function luhn(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2
    sum += d
  }
  return sum % 10 === 0
}
