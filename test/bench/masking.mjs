import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { createMasker } from '../../sdk/dist/masking/masking.js'

// The masking engine's speed with every built-in detector on (and one brand pattern), on 200-byte
// messages: a realistic chat mix (most messages have no digit, some have order numbers, dates,
// prices, a phone, an e-mail or a card) and digit-heavy text. Beside it, in the same run, a plain
// `text.replace(/\d/g, '#')` over the same messages: the cheapest pass that touches every digit.
// `node test/bench/masking.mjs` runs it alone; `npm run bench` runs it after the relays.

const MESSAGE_BYTES = 200
const COUNT = 2000
const SECONDS = Number(process.env.BENCH_MASKING_SECONDS ?? 1)

const CHAT = [
  'Hi, I ordered a jacket last week and it still has not arrived, could you check where it is?',
  'Thanks for waiting. I can see the parcel left our warehouse and is with the courier now.',
  'Great, and can I change the delivery address to my office instead of my home address?',
  'Of course. Please write the new address here and I will update the order for you.',
  'مرحبا، أريد تغيير عنوان التوصيل من فضلك، الطلب لم يصل بعد.',
  'Is there any discount on the winter collection? My friend said there was a sale this weekend.',
  'I would like to return the shoes, they are too small. How does the return process work?',
  'Sure! You will receive a return label by e-mail, just print it and drop the box at a post office.',
]
const WITH_DIGITS = [
  'My order number is 48213377 and it was placed on 2026-11-28, total 149.90 EUR.',
  'You can reach me on 020 7946 0958 after 5 pm, or by e-mail at jane.doe@example.com.',
  'Here is my card 4111 1111 1111 1111 exp 12/28 cvv 123, please charge the remaining 20 USD.',
  'The tracking code is 1Z999AA10123456784, it says delivery between 10:00 and 14:00 on 3/12.',
  'رقم الطلب ٤٨٢١٣٣٧٧ وتاريخ الطلب ٢٨/١١/٢٠٢٦',
  'Room 404, 3rd floor, 221B Baker Street, London NW1 6XE. Call +44 20 7946 0958 if needed.',
]
const DIGIT_HEAVY = [
  '4111-1111-1111-1112 5555 5555 5555 4444 12 34 56 78 90 2026-01-05 10.20.30.40 +1 555 123 4567',
  '123-45-6789 DE89 3704 0044 0532 0130 00 0123456789 9876543210 1111 2222 3333 4444 5555 6666',
  '%2041%2011%2011 ４１１１ １１１１ １１１１ １１１１ ٤١١١ ١١١١ 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9',
]

const masker = createMasker({
  ssn: { enabled: true }, iban: { enabled: true }, email: { enabled: true }, phone: { enabled: true },
  patterns: [{ name: 'order', pattern: 'ORD-\\d{6,8}' }],
})

/** Measures the engine against the digit-replace baseline; returns printable lines and figures. */
export function measureMasking() {
  const mixes = {
    'chat mix (25% with digits)': messages((i) => (i % 4 === 3 ? WITH_DIGITS : CHAT)),
    'digit-heavy': messages(() => DIGIT_HEAVY),
  }
  const lines = [`Masking engine, every detector on, ${MESSAGE_BYTES}-byte messages (${SECONDS} s each; baseline: text.replace(/\\d/g, '#'))`,
    `  ${'data'.padEnd(30)}${'MB/s'.padStart(9)}${'µs/msg'.padStart(9)}${'baseline MB/s'.padStart(15)}${'engine/baseline'.padStart(17)}`]
  const results = {}
  for (const [name, data] of Object.entries(mixes)) {
    const bytes = data.reduce((n, t) => n + Buffer.byteLength(t), 0)
    const engine = rate(data, bytes, (t) => masker.mask(t).text)
    const baseline = rate(data, bytes, (t) => t.replace(/\d/g, '#'))
    results[name] = { engineMBps: engine.mbps, engineMicrosPerMessage: engine.micros, baselineMBps: baseline.mbps }
    lines.push(`  ${name.padEnd(30)}${engine.mbps.toFixed(1).padStart(9)}${engine.micros.toFixed(2).padStart(9)}${baseline.mbps.toFixed(1).padStart(15)}${`${(engine.mbps / baseline.mbps).toFixed(2)}×`.padStart(17)}`)
  }
  lines.push('  (aim: ≥ 50 MB/s)')
  return { lines, results }
}

/** COUNT messages of about MESSAGE_BYTES bytes, each cut from sentences picked by `pool(i)`. */
function messages(pool) {
  let seed = 7
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
  return Array.from({ length: COUNT }, (_, i) => {
    const sentences = pool(i)
    let text = ''
    while (Buffer.byteLength(text) < MESSAGE_BYTES) text += `${sentences[Math.floor(next() * sentences.length)]} `
    while (Buffer.byteLength(text) > MESSAGE_BYTES) text = text.slice(0, -1)
    return text
  })
}

/** Runs `fn` over `data` for SECONDS (after a warm-up pass); MB/s and µs per message. */
function rate(data, bytes, fn) {
  let sink = 0
  for (const t of data) sink += fn(t).length
  let rounds = 0
  const t0 = performance.now()
  let elapsed = 0
  do {
    for (const t of data) sink += fn(t).length
    rounds++
    elapsed = performance.now() - t0
  } while (elapsed < SECONDS * 1000)
  if (sink < 0) throw new Error('unreachable')
  return { mbps: (bytes * rounds) / 1e6 / (elapsed / 1000), micros: (elapsed * 1000) / (rounds * data.length) }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.stdout.write(`${measureMasking().lines.join('\n')}\n`)
