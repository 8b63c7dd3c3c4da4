// The message-length limit as the writer nears it. The relay refuses text over
// welcome.limits.maxTextLength; a text box that silently cut a long paste would drop words without
// a sign, so the box keeps all of it and says how far over it is. Pure.

/** What to tell the writer: nothing yet, characters left, or characters too many. */
export type LimitHint = { kind: 'none' } | { kind: 'left'; n: number } | { kind: 'over'; n: number }

/** The share of the limit from which the characters left are shown. */
export const NEAR_LIMIT = 0.9

/** The hint for a text of `length` characters (UTF-16 code units, as the relay counts) under `max` (null: not known yet). */
export function textLimitHint(length: number, max: number | null): LimitHint {
  if (max === null || length < Math.floor(max * NEAR_LIMIT)) return { kind: 'none' }
  return length > max ? { kind: 'over', n: length - max } : { kind: 'left', n: max - length }
}
