import { describe, expect, it } from 'vitest'
import { createMasker, regExpCompiler, vetPattern } from '../../../sdk/src/masking/masking.js'

// No text can make masking slow: hostile brand patterns are refused when saved, and each built-in
// detector's worst-case input grows linearly. This checks growth, not a wall-clock bound: the time
// per character at 64 KB against 16 KB (quadratic work would make it 4 times larger), each the
// median of several runs over the same number of characters.

const HOSTILE = [
  '(a+)+$', '(a+)+', '(a*)*$', '(x+x+)+y', '(a|aa)*', '(a|a)*$', '(a|ab)+c', '(\\w+\\s?)*$', '^(\\d+)*$',
  '([a-zA-Z]+)*$', '(.*a){12}', '(\\d+\\d+)+x', '\\d+\\d+x', '(a)\\1', '(\\w+)\\s\\1', 'a(?=b)', '(?!x)y', '(?<=a)b',
  '(?<!a)b', '(?<n>a)\\k<n>', 'a{1,100000}',
  // Bounded, but wide enough to backtrack like \d+\d+ (the first took 162 s on 300 digits).
  '\\d{1,100}\\d{1,100}\\d{1,100}\\d{1,100}x', '\\d{1,500}\\d{1,500}\\d{1,500}x', '[0-9a-f]{1,64}[0-9]{1,64}[0-9a-f]{1,64}Z',
  '\\d{0,9}\\d{0,9}\\d{0,9}\\d{0,9}x', '(?:\\d{1,100})\\d{1,100}x', '\\d+\\d{0,20}x',
]

describe('hostile brand patterns', () => {
  it.each(HOSTILE)('refuses %j', (pattern) => {
    expect(vetPattern({ name: 'p', pattern })).not.toBeNull()
  })

  it('would hang a backtracking engine if let through (so refusing them matters)', () => {
    // (a+)+$ on 26 a's and a '!' takes ~2^26 steps; a short input still shows the blow-up.
    const slow = perChar((s) => [...regExpCompiler({ name: 'p', pattern: '(a+)+$' })(s)], (n) => `${'a'.repeat(n)}!`, 14, 20)
    expect(slow).toBeGreaterThan(8)
  })
})

const everything = createMasker({
  ssn: { enabled: true }, iban: { enabled: true }, email: { enabled: true }, phone: { enabled: true },
  patterns: [{ name: 'order', pattern: 'ORD-\\d{6}' }],
})
const keep = createMasker({ card: { keep: 'first6last4' }, phone: { enabled: true } })

/** Worst cases per detector: long runs of what each one scans, floods of its trigger characters. */
const INPUTS: Record<string, (n: number) => string> = {
  'digit run with separators': (n) => '1 '.repeat(n / 2),
  'bare digit run': (n) => '4'.repeat(n),
  'card groups, none valid': (n) => '4111 1111 1111 1112 '.repeat(n / 20),
  'valid cards back to back': (n) => '4111 1111 1111 1111 123 '.repeat(n / 24),
  'digits with three separators': (n) => '1 - '.repeat(n / 4),
  'Arabic-Indic digits and escapes': (n) => '٤%20'.repeat(n / 4),
  'repeated cvv': (n) => 'cvv '.repeat(n / 4),
  'repeated cvv with codes': (n) => 'cvv 123 '.repeat(n / 8),
  'security code words': (n) => 'security code verification code '.repeat(n / 32),
  'SSN-like': (n) => '123-45-'.repeat(n / 7),
  'IBAN-like': (n) => 'DE89 '.repeat(n / 5),
  'IBAN country code then letters': (n) => `DE89${'A'.repeat(n - 4)}`,
  '@ flood': (n) => '@'.repeat(n),
  'a@ flood': (n) => 'a@'.repeat(n / 2),
  'local part then @': (n) => `${'a.'.repeat(n / 2)}@`,
  'domain flood': (n) => `a@${'b.'.repeat(n / 2)}`,
  '+ flood': (n) => '+'.repeat(n),
  '+1 flood': (n) => '+1 '.repeat(n / 3),
  'parenthesised digits': (n) => '(5'.repeat(n / 2),
  'dotted digits': (n) => '1.'.repeat(n / 2),
  'percent flood': (n) => '%'.repeat(n),
}

describe('built-in detectors on worst-case input', { timeout: 120_000 }, () => {
  it.each(Object.keys(INPUTS))('grow linearly: %s at 4, 16 and 64 KB', (name) => {
    const make = INPUTS[name]!
    for (const masker of [everything, keep]) {
      expect(() => masker.mask(make(4096))).not.toThrow()
      const growth = perChar((s) => masker.mask(s), make, 16 * 1024, 64 * 1024)
      expect(growth, `time per character at 64 KB / at 16 KB for ${name}`).toBeLessThan(2.5)
    }
  })

  it('masks across a long joined message in linear time too', () => {
    const growth = perChar((s) => everything.maskJoined('4111 1111 '.repeat(20), s), (n) => '1111 '.repeat(n / 5), 16 * 1024, 64 * 1024)
    expect(growth).toBeLessThan(2.5)
  })
})

/**
 * Time per character of `run` at `large` over that at `small`: the median of 7 rounds, each timing
 * both sizes back to back over the same number of characters, so a busy machine slows both alike.
 */
function perChar(run: (s: string) => unknown, make: (n: number) => string, small: number, large: number): number {
  const texts = [make(small), make(large)]
  const time = (s: string): number => {
    const reps = Math.max(1, Math.round(large / s.length))
    const t0 = performance.now()
    for (let i = 0; i < reps; i++) run(s)
    return (performance.now() - t0) / (reps * s.length)
  }
  texts.forEach(run)
  const ratios: number[] = []
  for (let r = 0; r < 7; r++) ratios.push(time(texts[1]!) / time(texts[0]!))
  return ratios.sort((a, b) => a - b)[3]!
}
