import { describe, expect, it } from 'vitest'
import { createMasker } from '../../../sdk/src/masking/masking.js'

// Security codes, SSN, IBAN, e-mail and phone: (input, expected) tables, hostile neighbours included.

const only = (detector: 'ssn' | 'iban' | 'email' | 'phone') =>
  createMasker({ card: { enabled: false }, securityCode: { enabled: false }, [detector]: { enabled: true } })
const everything = createMasker({ ssn: { enabled: true }, iban: { enabled: true }, email: { enabled: true }, phone: { enabled: true } })

describe('security codes (on by default)', () => {
  const m = createMasker(null)
  it.each([
    ['4111 1111 1111 1111 123', '[card] [security code]'],
    ['4111111111111111 / 123', '[card] / [security code]'],
    ['4111-1111-1111-1111, 1234', '[card], [security code]'],
    ['5555 5555 5555 4444 12/25 987', '[card] 12/25 [security code]'],
    ['my CVV is 123', 'my CVV is [security code]'],
    ['cvv2: 1234.', 'cvv2: [security code].'],
    ['CVC 456', 'CVC [security code]'],
    ['the CID 7890', 'the CID [security code]'],
    ['security code = 321', 'security code = [security code]'],
    ['Card code: 555', 'Card code: [security code]'],
    ['verification code 246', 'verification code [security code]'],
    ['رمز الأمان ١٢٣', 'رمز الأمان [security code]'],
    ['رمز التحقق: 456', 'رمز التحقق: [security code]'],
    ['الرمز السري ٧٨٩', 'الرمز السري [security code]'],
    ['(cvv 123) and cvc 456', '(cvv [security code]) and cvc [security code]'],
  ])('masks %j', (text, masked) => {
    expect(m.mask(text).text).toBe(masked)
  })

  it.each([
    'I have 123 apples',
    'cvv 12345',
    'my verification code is 123456',
    'I decided 100 times',
    'room 404, floor 3',
    'xcvv 123',
  ])('leaves %j alone', (text) => {
    expect(m.mask(text)).toEqual({ text, findings: [] })
  })

  it('reports the digits only', () => {
    expect(m.mask('cvv 123').findings).toEqual([{ detector: 'securityCode', start: 4, end: 7 }])
  })
})

describe('US SSN', () => {
  it.each([
    ['ssn 123-45-6789', 'ssn [ssn]'],
    ['ssn 123 45 6789.', 'ssn [ssn].'],
    ['٥٣٦-٢٢-١٤٦٧', '[ssn]'],
    ['123-45-6789,123-45-6789', '[ssn],[ssn]'],
    ['x123-45-6789', 'x[ssn]'],
  ])('masks %j', (text, masked) => {
    expect(only('ssn').mask(text).text).toBe(masked)
  })

  it.each(['000-12-3456', '666-12-3456', '900-12-3456', '999-12-3456', '123-00-4567', '123-45-0000', '123-45 6789', '1123-45-6789', '123456789'])(
    'refuses %j (never issued, or not written as an SSN)',
    (text) => {
      expect(only('ssn').mask(text)).toEqual({ text, findings: [] })
    },
  )
})

describe('IBAN', () => {
  it.each([
    ['DE89 3704 0044 0532 0130 00', '[iban]'],
    ['iban: DE89370400440532013000, thanks', 'iban: [iban], thanks'],
    ['GB82 WEST 1234 5698 7654 32 please', '[iban] please'],
    ['FR14 2004 1010 0505 0001 3M02 606', '[iban]'],
    ['NL91ABNA0417164300 AND MORE', '[iban] AND MORE'],
    ['(DE89370400440532013000)', '([iban])'],
    ['XDE89 DE89370400440532013000', 'XDE89 [iban]'],
  ])('masks %j', (text, masked) => {
    expect(only('iban').mask(text).text).toBe(masked)
  })

  it.each(['DE89 3704 0044 0532 0130 01', 'GB82 WEST 1234 5698 7654 33', 'XX00 0000 0000 0000', 'DE89 3704', 'xDE89370400440532013000', '1DE89370400440532013000'])('leaves %j (bad checksum, too short, or glued to a letter or digit) alone', (text) => {
    expect(only('iban').mask(text)).toEqual({ text, findings: [] })
  })
})

describe('e-mail addresses', () => {
  it.each([
    ['write to john.doe@example.com.', 'write to [email].'],
    ['a+b_c@sub.example.co.uk', '[email]'],
    ['mailto:x@y.org?subject=hi', 'mailto:[email]?subject=hi'],
    ['https://a.example/?e=jane%40example.com&x=1', 'https://a.example/?e=[email]&x=1'],
    ['(ana@exemplo.pt)', '([email])'],
    ['josé@correo.es', '[email]'],
    // The full-width and small commercial at read as '@' (NFKC), in text with no digit at all.
    ['write to jane\uff20example.com', 'write to [email]'],
    ['write to jane\ufe6bexample.com', 'write to [email]'],
    ['ｊａｎｅ\uff20ｅｘａｍｐｌｅ．ｃｏｍ', '[email]'],
  ])('masks %j', (text, masked) => {
    expect(only('email').mask(text).text).toBe(masked)
  })

  it.each(['user@localhost', '@handle', 'a@b.c', 'me@ example.com', 'john@.com'])('leaves %j alone', (text) => {
    expect(only('email').mask(text)).toEqual({ text, findings: [] })
  })

  it('reports positions in the original text when an escape shortened the view', () => {
    const text = 'x%20y e=jane%40example.com'
    expect(only('email').mask(text).findings).toEqual([{ detector: 'email', start: 8, end: 26 }])
  })
})

describe('phone numbers', () => {
  it.each([
    ['call +44 20 7946 0958', 'call [phone]'],
    ['+1-555-123-4567', '[phone]'],
    ['+4915123456789', '[phone]'],
    ['(555) 123-4567', '[phone]'],
    ['555-123-4567!', '[phone]!'],
    ['555.123.4567', '[phone]'],
    ['020 7946 0958', '[phone]'],
    ['01 23 45 67 89', '[phone]'],
    ['٠٢٠ ٧٩٤٦ ٠٩٥٨', '[phone]'],
    ['(555) 123-4567 or 555-123-4568', '[phone] or [phone]'],
  ])('masks %j', (text, masked) => {
    expect(only('phone').mask(text).text).toBe(masked)
  })

  it.each(['on 2024-01-05', 'on 05.01.2024', 'at 10.20.30.40', '5551234567', 'call 555', 'order 1234567890123456', '+123', 'x555-123-4567', 'v1.555-123-4567', 'a@555-123-4567'])('leaves %j alone', (text) => {
    expect(only('phone').mask(text)).toEqual({ text, findings: [] })
  })

  it('leaves card numbers to the card detector', () => {
    expect(everything.mask('4111-1111-1111-1111').findings).toEqual([{ detector: 'card', start: 0, end: 19 }])
  })
})

describe('every detector at once', () => {
  it('masks each value once, left to right, with each replacement', () => {
    const text = 'card 4111 1111 1111 1111 cvv 123, ssn 123-45-6789, iban DE89370400440532013000, mail a@b.io, tel (555) 123-4567'
    const result = everything.mask(text)
    expect(result.text).toBe('card [card] cvv [security code], ssn [ssn], iban [iban], mail [email], tel [phone]')
    expect(result.findings.map((f) => f.detector)).toEqual(['card', 'securityCode', 'ssn', 'iban', 'email', 'phone'])
    expect(result.findings.map((f) => text.slice(f.start, f.end))).toEqual(['4111 1111 1111 1111', '123', '123-45-6789', 'DE89370400440532013000', 'a@b.io', '(555) 123-4567'])
  })

  it('uses the brand replacement for each detector', () => {
    const m = createMasker({ email: { enabled: true, replacement: '<e-mail>' }, securityCode: { replacement: '***' } })
    expect(m.mask('cvv 123 x@y.com').text).toBe('cvv *** <e-mail>')
  })

  it('returns text without a digit or @ unchanged (the fast path)', () => {
    const text = 'Hello, I would like to change my delivery address please — مرحبا'
    expect(everything.mask(text)).toEqual({ text, findings: [] })
  })
})
