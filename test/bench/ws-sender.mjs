// ws's Sender.send, alone: nanoseconds of CPU a text frame costs on the installed ws, warm and
// after full garbage collections. ws 8.21 builds each frame's options as an object literal whose
// first key is computed; once a GC has collected the last such object, V8 (Node 20) kept that
// literal on a slow path for the rest of the process: 1.2-1.5 us a send instead of 0.1-0.3 us.
// patches/ws+*.patch (applied by `npm install`) moves the computed key last. The socket is a
// stub that accepts every write, so only the framing is measured.
// Each case runs in a fresh process: the slow path follows a GC that comes while the literal's
// code is young (as in a relay, whose GCs start while its sockets connect), not one after it is hot.
// Run: node test/bench/ws-sender.mjs
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const { Sender } = require('ws')

const SENDS = 200_000
const frame = JSON.stringify({ type: 'message.new', text: 'x'.repeat(200) })
const options = { binary: false, mask: false, compress: false, fin: true }

/** Median CPU nanoseconds per send over ten rounds on a fresh Sender, after `gcs` warm-up GCs. */
function nsPerSend(gcs) {
  const sender = new Sender({ cork() {}, uncork() {}, write: () => true }, {})
  for (let g = 0; g < gcs; g++) {
    for (let i = 0; i < 1000; i++) sender.send(frame, options, undefined)
    globalThis.gc()
  }
  const rounds = []
  for (let r = 0; r < 10; r++) {
    const t = process.cpuUsage()
    for (let i = 0; i < SENDS; i++) sender.send(frame, options, undefined)
    const u = process.cpuUsage(t)
    rounds.push(((u.user + u.system) * 1000) / SENDS)
  }
  return rounds.sort((a, b) => a - b)[5]
}

/** One case in a child process: its median ns per send. */
function inChild(gcs) {
  const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), String(gcs)], { encoding: 'utf8' })
  return Number(out.trim())
}

if (process.argv[2] !== undefined) {
  console.log(nsPerSend(Number(process.argv[2])).toFixed(1))
} else {
  const warm = inChild(0)
  const afterGc = inChild(1)
  console.log(`ws Sender.send: ${warm.toFixed(0)} ns with no GC before it, ${afterGc.toFixed(0)} ns after one early full GC (${(afterGc / warm).toFixed(2)}x)`)
}
