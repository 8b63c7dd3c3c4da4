import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { MaskingConfig } from '../../../sdk/src/contract/masking.js'
import { createMasker, createRelayMasker } from '../../../sdk/src/masking/masking.js'
import { CARDS, SCRIPTS, SEPARATORS, inScript } from './fixtures.js'

// The relay's masker returns what createMasker returns, for any text and any configuration; its
// shortcut (text with no digit, '@' or non-ASCII, and no brand pattern) must never change a result.

const CONFIGS: (MaskingConfig | null)[] = [
  null,
  { ssn: { enabled: true }, iban: { enabled: true }, email: { enabled: true }, phone: { enabled: true } },
  { card: { enabled: false }, securityCode: { enabled: false }, email: { enabled: true } },
  { card: { keep: 'first6last4' } },
  { patterns: [{ name: 'code', pattern: 'secret-[a-z]+' }] },
  { email: { enabled: true }, patterns: [{ name: 'ticket', pattern: 'T-\\d{3}' }, { name: 'word', pattern: 'hello' }] },
]

// Words, digits, '@', separators and non-ASCII (Unicode digits, format characters) in any mix, and
// whole card numbers in every digit script (a card with no ASCII digit must not take the shortcut),
// so both the shortcut and the full path are taken often.
const piece = fc.oneof(
  fc.constantFrom('hello ', 'thanks for getting back ', 'secret-abc ', 'T-123 ', 'me@example.com ', 'me\uff20example.com ', 'me\ufe6bexample.com ', 'call 030 1234567 ', '123-45-6789 ',
    'DE89 3704 0044 0532 0130 00 ', 'cvv 123 ', 'cvv ', '\u0663\u0664', '\u200b', 'é', '\n', '%20', '%2D'),
  fc.constantFrom(...SEPARATORS),
  fc.record({ card: fc.constantFrom(...CARDS), zero: fc.constantFrom(...Object.values(SCRIPTS)) }).map(({ card, zero }) => inScript(card.number, zero)),
  fc.constantFrom(...['DE89370400440532013000', '0301234567', '123456789'].map((d) => inScript(d, SCRIPTS['full-width']))),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.stringMatching(/^[a-z ]{0,20}$/),
)
const text = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''))

describe('the relay masker', () => {
  it('masks every text as createMasker does, alone and joined to the previous one', () => {
    for (const config of CONFIGS) {
      const plain = createMasker(config)
      const relay = createRelayMasker(config)
      expect(relay.active).toBe(plain.active)
      fc.assert(
        fc.property(text, text, (previous, next) => {
          expect(relay.mask(next)).toEqual(plain.mask(next))
          expect(relay.maskJoined(previous, next)).toEqual(plain.maskJoined(previous, next))
        }),
        { numRuns: 400 },
      )
    }
  })

  it('finds in an id what the built-in detectors find, whatever the brand patterns match', () => {
    for (const config of CONFIGS) {
      const relay = createRelayMasker(config)
      const builtIns = createMasker({ ...config, patterns: [] })
      fc.assert(
        fc.property(text, (id) => {
          expect(relay.hiddenInId(id)).toBe(builtIns.active ? (builtIns.mask(id).findings[0]?.detector ?? null) : null)
        }),
        { numRuns: 300 },
      )
    }
  })

  it('names the card in an id and finds nothing in a widget-style id', () => {
    const relay = createRelayMasker({ email: { enabled: true }, iban: { enabled: true }, patterns: [{ name: 'keys', pattern: '[A-Za-z0-9_-]{10,}' }] })
    expect(relay.hiddenInId('4111111111111111')).toBe('card')
    expect(relay.hiddenInId('m-me@example.com')).toBe('email')
    expect(relay.hiddenInId(inScript('4111111111111111', SCRIPTS['full-width']))).toBe('card')
    // A brand pattern matching the whole id does not count, and does not hide a value inside it: with
    // the pattern's finding longer than the IBAN's, createMasker's overlap rule keeps only the pattern's.
    expect(relay.hiddenInId('m_lq2v8k3x_8f3a2b1c')).toBeNull()
    expect(relay.hiddenInId('DE89370400440532013000xyzxyz')).toBe('iban')
    expect(relay.hiddenInId('abc-4111111111111111-xyz')).toBe('card')
  })

  it('takes the shortcut only where nothing can match: words-only text comes back as it is', () => {
    const relay = createRelayMasker(null)
    const words = 'thanks for getting back to me so quickly'
    expect(relay.mask(words)).toEqual({ text: words, findings: [] })
    expect(relay.maskJoined('my card is 4111 1111', ' 1111 1111 and more')).toEqual(createMasker(null).maskJoined('my card is 4111 1111', ' 1111 1111 and more'))
    expect(relay.maskJoined('my card is 4111 1111', ' 1111 1111 and more').previous).not.toBeNull()
  })
})
