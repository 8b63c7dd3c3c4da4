#!/usr/bin/env node
// A visitor's data rights with the brand SDK: a scripted visitor on the demo page writes in a chat
// and leaves the offline form with an e-mail address; then, as the brand's privacy desk, the script
// exports everything stored about them (found by that address) as the JSON document and as an HTML
// page written to a file, corrects their e-mail address, shows that the old address finds no one
// any more while the new one finds the same visitor, and last erases the visitor: their export then
// holds only the stubs of their conversations.
//
//   npm start                                              # in another terminal: relay + demo brand
//   node examples/sdk-scripts/data-rights.mjs [RELAY_URL] [DATA_DIR]
//
// RELAY_URL defaults to http://127.0.0.1:8080, DATA_DIR to ./.parley-data (where npm start keeps
// demo.json with the demo brand's API key and site key). PARLEY_API_KEY, when set, is used instead
// of the one in demo.json. The page is written to the system's temporary directory.

import { randomUUID } from 'node:crypto'
import { createWriteStream, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import WebSocket from 'ws'
import { NotFoundError, Parley } from '@parley/sdk'

const relay = (process.argv[2] ?? 'http://127.0.0.1:8080').replace(/\/$/, '')
const demo = JSON.parse(readFileSync(join(process.argv[3] ?? '.parley-data', 'demo.json'), 'utf8'))
const parley = new Parley({ relay, apiKey: process.env.PARLEY_API_KEY ?? demo.apiKey })
const origin = demo.origins[0]

// ── the visitor, on the demo page ──────────────────────────────────────────────────────────────────
// A fresh address each run, so the export below is this run's visitor alone.
const email = `ada.${randomUUID().slice(0, 8)}@example.com`
const { visitorId, token } = await chatOnce('Where is my order? It was due on Monday.')
const offline = await fetch(`${relay}/v1/sites/${demo.siteKey}/offline-messages`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', origin, authorization: `Bearer ${token}` },
  body: JSON.stringify({ name: 'Ada Lovelace', email, message: 'Please write to me when it ships.', clientMsgId: randomUUID() }),
})
if (offline.status !== 201) throw new Error(`the offline form was refused: ${offline.status} ${await offline.text()}`)
console.log(`visitor ${visitorId} chatted and left the offline form`)

// ── the brand's privacy desk ───────────────────────────────────────────────────────────────────────
const data = await parley.visitors.export({ email })
const messages = data.conversations.reduce((n, c) => n + c.messages.length, 0)
console.log(`export (${data.format} v${data.version}, found by ${data.selector}): visitor ${data.visitors.map((v) => v.visitorId).join(', ')}, ${data.conversations.length} conversations, ${messages} messages`)

const page = await parley.visitors.exportStream({ email }, { format: 'html' })
// A visitor's data: a directory only this user can read (mkdtemp makes it 0700), the file 0600.
const file = join(mkdtempSync(join(tmpdir(), 'parley-export-')), page.fileName)
await pipeline(Readable.from(page), createWriteStream(file, { mode: 0o600, flags: 'wx' }))
console.log(`wrote ${page.fileName} (${statSync(file).size > 0 ? 'an HTML page' : 'nothing'})`)

const newEmail = email.replace('@example.com', '@example.org')
const corrected = await parley.visitors.correct({ email }, { email: newEmail })
console.log(`corrected the e-mail in ${corrected.conversations} conversation(s), ${corrected.customers} customer record(s), ${corrected.surveyResponses} answer(s)`)

const old = await parley.visitors.export({ email }).catch((err) => err)
if (!(old instanceof NotFoundError)) throw old
console.log(`the old address finds no one: ${old.code}`)
const again = await parley.visitors.export({ email: newEmail })
console.log(`the new address finds the same visitor: ${again.visitors[0]?.visitorId === visitorId}`)

// Last, the visitor asks to be forgotten: erased at once, their export holds only the stubs.
const receipt = await parley.visitors.erase({ visitorId }, { graceDays: 0 })
console.log(`erased ${receipt.removed.conversations} conversations, ${receipt.removed.messages} messages`)
const after = await parley.visitors.export({ visitorId })
const left = after.conversations.filter((c) => c.erasedAt === null || c.messages.length > 0 || c.contact !== null)
console.log(`after the erasure: ${after.visitors.length} visitor records, ${after.conversations.length} stubs, ${left.length} with content`)

/** A visitor says hello, writes one message in a new chat, and leaves; resolves with who they are. */
function chatOnce(text) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${relay.replace(/^http/, 'ws')}/v1/live?site=${demo.siteKey}`, { origin })
    const timer = setTimeout(() => { ws.terminate(); reject(new Error('the chat took more than 5 s')) }, 5000)
    let identity = null
    ws.once('error', reject)
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } })))
    ws.on('message', (raw) => {
      const frame = JSON.parse(String(raw))
      if (frame.type === 'welcome') {
        identity = frame.identity
        ws.send(JSON.stringify({ type: 'message.send', convId: `cv_${randomUUID()}`, clientMsgId: randomUUID(), text }))
      } else if (frame.type === 'message.ack') {
        clearTimeout(timer)
        ws.close()
        resolve(identity)
      } else if (frame.type === 'error') {
        clearTimeout(timer)
        ws.close()
        reject(new Error(`${frame.code}: ${frame.message}`))
      }
    })
  })
}
