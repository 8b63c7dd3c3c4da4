import { performance } from 'node:perf_hooks'
import { createMeter } from './load/meter.mjs'
import { createSaturation } from './load/saturation.mjs'
import { createFixedRate } from './load/fixed-rate.mjs'
import { mapConcurrent } from './map-concurrent.mjs'
import { conversationId } from './load/message-ids.mjs'

// The load generator, run as its own process so its CPU is not the relay's. It reads one job from
// the BENCH_JOB environment variable (JSON, written by run.mjs), opens every conversation, runs
// one mode, and prints exactly one JSON line on stdout: the result, or { error } if setup failed.
// Progress and diagnostics go to stderr.

// A relay is not measured on how it survives 400 simultaneous handshakes, and a burst like that
// can overflow accept backlogs, so conversations are opened a few at a time.
const SETUP_CONCURRENCY = 20

const job = JSON.parse(process.env.BENCH_JOB ?? '{}')
const { openConversation } = await import(`./protocols/${job.target.protocol}.mjs`)

// Ids stay unique across runs against the same relay (Parley keeps its database between modes).
const runTag = `${job.mode.slice(0, 3)}${Date.now().toString(36)}`
const convIds = Array.from({ length: job.conversations }, (_, i) => conversationId(runTag, i))
// Each conversation numbers its messages from 1; the protocol turns (conversation, number) into a
// clientMsgId (load/message-ids.mjs), so the hot path passes numbers, not strings.
const messageCounters = new Uint32Array(job.conversations)
const nextNumber = (i) => ++messageCounters[i]
const text = makeText(job.textBytes, job.text)

// A clustered target lists every node's process (`pids`); its CPU is their sum.
const meter = createMeter({
  serverPids: job.target.pids ?? [job.target.pid], services: job.target.services ?? null,
  conversations: job.conversations, delivers: job.target.delivers !== false,
})
const modeOptions = { meter, warmupMs: job.warmupMs, measureMs: job.measureMs, drainMs: job.drainMs, nextNumber }
const mode = job.mode === 'saturation'
  ? createSaturation({ ...modeOptions, inflight: job.inflight })
  : createFixedRate({ ...modeOptions, rate: job.rate })

const eventsFor = (i) => ({
  onAck(n) {
    meter.acked(i, n)
    mode.onAck(i)
  },
  onDeliver: () => meter.delivered(),
  onForeign: () => meter.foreign(),
  onError: (detail) => meter.error(detail),
})

let conversations = []
const setupStartedAt = performance.now()
try {
  conversations = await mapConcurrent(convIds, SETUP_CONCURRENCY, (convId, index) => openConversation(job.target, { index, convId, text }, eventsFor(index)))
} catch (err) {
  emit({ target: job.target.name, mode: job.mode, error: `setup failed: ${err.message}` })
  process.exit(1)
}
process.stderr.write(`bench:   ${conversations.length} conversations set up in ${((performance.now() - setupStartedAt) / 1000).toFixed(1)} s, measuring\n`)
const result = await mode.run(conversations)
for (const conversation of conversations) conversation.close()
emit({ target: job.target.name, mode: job.mode, conversations: conversations.length, textBytes: job.textBytes, delivers: job.target.delivers !== false, ...result })
process.exit(0)

// `words`: plain words, no digits: realistic chat text that gives a masking engine nothing to
// rewrite (and lets it skip the text). `digits`: numbers every detector has to look at, none of
// which it masks (no card, and phone detection is off by default), so the text stays as sent.
function makeText(bytes, kind = 'words') {
  const words = kind === 'digits'
    ? 'my order 20451187 from 03.12.2026 cost 149.90 EUR and I paid twice, ref 7730 - call 030 1234567 '
    : 'thanks for getting back to me so quickly I wanted to ask about my order and when it ships '
  return words.repeat(Math.ceil(bytes / words.length)).slice(0, bytes)
}

function emit(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`)
}
