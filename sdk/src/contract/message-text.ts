// When a message's text counts as empty: the one rule, shared by the relay (which refuses such a
// message with PARLEY_ERR_MESSAGE_EMPTY) and the clients (which don't send it). Pure, no TypeBox, so
// the browser bundles import it for a few bytes.

// Characters a reader cannot see: whitespace (\s covers U+FEFF and the Unicode spaces), C0/C1
// controls, the soft hyphen, the combining grapheme joiner, the Arabic letter mark, Hangul and
// Khmer fillers, Mongolian free variation selectors, zero-width spaces and joiners, the LTR/RTL
// marks, bidi embeddings, overrides and isolates, the word joiner and invisible operators, and
// variation selectors. A text made only of these would be acked and stored as a blank line.
const INVISIBLE_ONLY =
  /^[\s\u0000-\u001F\u007F-\u009F\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFFA0]*$/

/** Whether `text` shows nothing to a reader: empty, or only whitespace and invisible characters. */
export function isBlankText(text: string): boolean {
  return INVISIBLE_ONLY.test(text)
}
