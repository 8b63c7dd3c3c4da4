import type { TextFormat } from '../contract/survey-fields.js'

// Formats of text answers. Lengths are checked before these run, so no pattern sees more than a
// field's maxLength; each pattern is linear anyway (no nested or overlapping repeats).

/** The longest e-mail address a mail server has to accept (RFC 5321's path limit). */
const MAX_EMAIL = 254

const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/
const PHONE = /^\+?[\d\s().-]+$/
const FORMATS: Record<TextFormat, RegExp> = {
  digits: /^\d+$/,
  alphanumeric: /^[\p{L}\p{N}]+$/u,
  url: /^https?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/i,
}

/** Whether `text` reads as an e-mail address (`a@b.c`, at most 254 characters). */
export function isEmail(text: string): boolean {
  return text.length <= MAX_EMAIL && EMAIL.test(text)
}

/** Whether `text` reads as a phone number: 7–15 digits, an optional leading +, spaces, dashes, dots, brackets. */
export function isPhone(text: string): boolean {
  const digits = text.replace(/\D/g, '').length
  return digits >= 7 && digits <= 15 && PHONE.test(text)
}

/** Whether `text` is in `format`. */
export function isInFormat(text: string, format: TextFormat): boolean {
  return FORMATS[format].test(text)
}
