// Shared inputs for the masking tests: the card brands' public test numbers, the separators and
// digit scripts they are written with, and the digit view used to compare digits across scripts.

/** Public test numbers (they pass Luhn and charge nothing), with how each brand groups its digits. */
export const CARDS = [
  { brand: 'Visa', number: '4111111111111111', groups: [4, 4, 4, 4] },
  { brand: 'Mastercard', number: '5555555555554444', groups: [4, 4, 4, 4] },
  { brand: 'Amex', number: '378282246310005', groups: [4, 6, 5] },
  { brand: 'Discover', number: '6011111111111117', groups: [4, 4, 4, 4] },
  { brand: 'Diners', number: '30569309025904', groups: [4, 6, 4] },
  { brand: 'JCB', number: '3530111333300000', groups: [4, 4, 4, 4] },
  { brand: 'UnionPay', number: '6205500000000000004', groups: [4, 4, 4, 4, 3] },
  { brand: 'Maestro', number: '6759649826438453', groups: [4, 4, 4, 4] },
] as const

/**
 * Separators between digit groups: ASCII, percent-encoded (URLs), invisible format characters (zero-
 * width space, joiner and non-joiner, soft hyphen, word joiner, BOM), dashes and the minus sign, and
 * full-width or ideographic punctuation that NFKC reads as ASCII.
 */
export const SEPARATORS = [
  '', ' ', '-', '.', '/', '\n', '\r\n', ' - ', '\u00a0', '+', '%20', '%2D', '%2f', '%0A',
  '\u200b', '\u200c', '\u200d', '\u00ad', '\u2060', '\ufeff', ' \u200b',
  '\u2010', '\u2011', '\u2013', '\u2014', '\u2212', ' \u2013 ',
  '\uff0d', '\uff0e', '\uff0f', '\u3000', '\uff0b',
] as const

/** Digit scripts by the code point of their zero. */
export const SCRIPTS = {
  ASCII: 0x30,
  'full-width': 0xff10,
  'Arabic-Indic': 0x660,
  'Extended Arabic-Indic': 0x6f0,
  Devanagari: 0x966,
  Bengali: 0x9e6,
  Thai: 0xe50,
  'Mathematical bold': 0x1d7ce,
} as const

/** `digits` (ASCII) written in the script whose zero is `zero`. */
export function inScript(digits: string, zero: number): string {
  return Array.from(digits, (d) => String.fromCodePoint(zero + d.charCodeAt(0) - 48)).join('')
}

/** A card number split into its brand's groups and joined with `separator`. */
export function formatCard(card: (typeof CARDS)[number], separator: string, zero = 0x30): string {
  const parts: string[] = []
  let at = 0
  for (const n of card.groups) parts.push(inScript(card.number.slice(at, (at += n)), zero))
  return parts.join(separator)
}

/** Every decimal digit in `text`, in any script, as ASCII (what "contains the card's digits" compares). */
export function digitsOf(text: string): string {
  return Array.from(text.normalize('NFKC'))
    .map((ch) => {
      if (!/\p{Nd}/u.test(ch)) return ''
      let zero = ch.codePointAt(0)!
      while (/\p{Nd}/u.test(String.fromCodePoint(zero - 1))) zero--
      return String((ch.codePointAt(0)! - zero) % 10)
    })
    .join('')
}

/** The Luhn check, written out plainly here so the tests do not lean on the engine's own. */
export function isLuhnValid(digits: string): boolean {
  let sum = 0
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[digits.length - 1 - i])
    sum += i % 2 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d
  }
  return sum % 10 === 0
}
