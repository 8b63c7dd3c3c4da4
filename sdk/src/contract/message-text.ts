// When a message's text counts as empty: the one rule, shared by the relay (which refuses such a
// message with PARLEY_ERR_MESSAGE_EMPTY) and the clients (which don't send it). Pure, no TypeBox, so
// the browser bundles import it for a few bytes.

// Characters a reader cannot see: whitespace (\s covers U+FEFF and the Unicode spaces), C0/C1
// controls, and every Default_Ignorable_Code_Point of Unicode (the soft hyphen, the combining
// grapheme joiner, the Arabic letter mark, Hangul and Khmer fillers, Mongolian free variation
// selectors and vowel separator, zero-width spaces and joiners, the LTR/RTL marks, bidi embeddings,
// overrides and isolates, the word joiner, invisible operators and deprecated format controls,
// variation selectors and their supplement, shorthand format controls, musical symbol formatting,
// tag characters and the reserved U+FFF0-FFF8 and U+E0000-E0FFF), plus the interlinear annotation
// controls U+FFF9-FFFB, and U+FEFF (the zero-width no-break space). A text made only of these would
// be acked and stored as a blank line. The same set is what file names are stripped of (a U+202E in
// `invoice\u202Efdp.html` shows it as "invoicelmth.pdf").
const INVISIBLE_CLASS =
  String.raw`\u0000-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0\uFFF0-\uFFFB\u{1BCA0}-\u{1BCA3}\u{1D173}-\u{1D17A}\u{E0000}-\u{E0FFF}`
// One character class under `*`: linear in the text, no allocation per message on the relay.
const INVISIBLE_ONLY = /* @__PURE__ */ new RegExp(`^[\\s${INVISIBLE_CLASS}]*$`, 'u')
const INVISIBLE = /* @__PURE__ */ new RegExp(`[${INVISIBLE_CLASS}]`, 'gu')

/** Whether `text` shows nothing to a reader: empty, or only whitespace and invisible characters. */
export function isBlankText(text: string): boolean {
  return INVISIBLE_ONLY.test(text)
}

/** `text` without the invisible characters isBlankText ignores (controls, bidi overrides, zero-width ones); whitespace is kept. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '')
}

/** Longest preview of a message (UTF-16 code units) that queue entries and conversation.opened carry. */
export const PREVIEW_MAX = 140

/**
 * The start of `text` in at most `max` UTF-16 code units, cut between whole characters (grapheme
 * clusters), so an emoji, its skin tone or a ZWJ family is never split into half a surrogate pair or
 * a lone joiner. Where Intl.Segmenter is missing, cut between code points.
 */
export function textPreview(text: string, max = PREVIEW_MAX): string {
  if (text.length <= max) return text
  const Seg = (Intl as { Segmenter?: typeof Intl.Segmenter }).Segmenter
  let out = ''
  const parts: Iterable<string> = Seg ? (function* () { for (const s of new Seg(undefined, { granularity: 'grapheme' }).segment(text)) yield s.segment })() : text
  for (const part of parts) {
    if (out.length + part.length > max) break
    out += part
  }
  return out
}

/**
 * The preview of a message as queue entries, offers and conversation.opened show it: its text, or,
 * for a message holding only files, their names ("📎 photo.png, form.pdf"), so a file-only first
 * message is never shown as an empty one.
 */
export function messagePreview(text: string, files: readonly { name: string }[] = [], max = PREVIEW_MAX): string {
  if (files.length === 0 || !isBlankText(text)) return textPreview(text, max)
  return textPreview(`📎 ${files.map((f) => f.name).join(', ')}`, max)
}
