import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createMasker } from '../../../sdk/src/masking/masking.js'

// The examples docs/masking.md gives, run through the engine with every detector on: each is still
// quoted in the page, and masks as the page says. A doc edit or an engine change that breaks one
// fails here.

const doc = readFileSync(new URL('../../../docs/masking.md', import.meta.url), 'utf8')
const everything = createMasker({ ssn: { enabled: true }, iban: { enabled: true }, email: { enabled: true }, phone: { enabled: true } })

const EXAMPLES: Record<string, [example: string, masked: string][]> = {
  'card numbers': [
    ['4111 1111 1111 1111', '[card]'], ['4111-1111-1111-1111', '[card]'], ['4111111111111111', '[card]'],
    ['378282246310005', '[card]'], ['30569309025904', '[card]'], ['6205500000000000004', '[card]'],
    ['٤١١١ ١١١١ ١١١١ ١١١١', '[card]'], ['abc4111111111111111xyz', 'abc[card]xyz'],
    ['https://shop.example/pay?n=4111%201111%201111%201111&go=1', 'https://shop.example/pay?n=[card]&go=1'],
    ['4111–1111–1111–1111', '[card]'], ['４１１１－１１１１－１１１１－１１１１', '[card]'],
    ['Order #1234567890123', 'Order #1234567890123'], ['4111 1111 1111 1112', '4111 1111 1111 1112'],
    ['41111111111111111234', '41111111111111111234'], ['2024-01-05', '2024-01-05'], ['149.90', '149.90'],
  ],
  'security codes': [
    ['CVV: 123', 'CVV: [security code]'], ['my security code is 1234', 'my security code is [security code]'],
    ['I have 123 apples', 'I have 123 apples'], ['cvv 12345', 'cvv 12345'], ['verification code 123456', 'verification code 123456'],
  ],
  SSN: [['123-45 6789', '[phone]']],
  IBAN: [['DE89 3704 0044 0532 0130 00', '[iban]'], ['DE89 3704 0044 0532 0130 01', 'DE89 [card]']],
  'e-mail': [['?e=jane%40example.com', '?e=[email]'], ['user@localhost', 'user@localhost'], ['@handle', '@handle'], ['a@b.c', 'a@b.c']],
  phones: [
    ['+44 20 7946 0958', '[phone]'], ['+4915123456789', '[phone]'], ['+4915112345678', '+[card]'], ['(555) 123-4567', '[phone]'],
    ['555-123-4567', '[phone]'], ['555.123.4567', '[phone]'], ['020 7946 0958', '[phone]'], ['01 23 45 67 89', '[phone]'],
    ['5551234567', '5551234567'], ['05.01.2024', '05.01.2024'], ['10.20.30.40', '10.20.30.40'], ['1234-5678', '[phone]'],
  ],
}

describe('the examples in docs/masking.md', () => {
  it.each(Object.entries(EXAMPLES).flatMap(([section, rows]) => rows.map(([example, masked]) => [section, example, masked])))(
    '%s: %j masks as %j',
    (_section, example, masked) => {
      expect(doc).toContain(`\`${example}\``)
      expect(everything.mask(example).text).toBe(masked)
    },
  )

  it('quotes the card table\'s arrow examples with their result', () => {
    for (const [example, masked] of [['4111 1111 1111 1111 123', '[card] [security code]'], ['2024-01-05 4111-1111-1111-1111', '2024-01-05 [card]']]) {
      expect(doc).toContain(`\`${example}\` → \`${masked}\``)
      expect(everything.mask(example!).text).toBe(masked)
    }
  })
})
