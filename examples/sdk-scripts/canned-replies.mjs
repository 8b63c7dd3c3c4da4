#!/usr/bin/env node
// Gives the demo brand a few brand-wide canned replies through the brand SDK: the answers every
// agent inserts by typing `/shortcut` in the console's composer. Shows that a shortcut already
// taken is refused, searches the replies, and fills a reply's placeholders the way the console does
// when an agent inserts it (@parley/sdk/canned). Run it twice: it updates what it saved before.
//
//   npm start                                           # in another terminal: relay + demo brand
//   node examples/sdk-scripts/canned-replies.mjs [RELAY_URL] [DATA_DIR]
//
// RELAY_URL defaults to http://127.0.0.1:8080, DATA_DIR to ./.parley-data (where npm start keeps
// demo.json with the demo brand's API key). PARLEY_API_KEY, when set, is used instead of demo.json.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConflictError, Parley } from '@parley/sdk'
import { fillPlaceholders, findByShortcut } from '@parley/sdk/canned'

const relay = process.argv[2] ?? 'http://127.0.0.1:8080'
const apiKey = process.env.PARLEY_API_KEY
  ?? JSON.parse(readFileSync(join(process.argv[3] ?? '.parley-data', 'demo.json'), 'utf8')).apiKey
const parley = new Parley({ relay, apiKey })

const wanted = [
  { shortcut: 'hello', title: 'Greeting', text: 'Hi {visitor.name|there}, I am {agent.firstName}. How can I help?' },
  { shortcut: 'refund', title: 'Refund policy', text: 'Hi {visitor.name|there}, refunds reach your card within 5 working days.' },
  { shortcut: 'bye', title: 'Closing', text: 'Thanks for chatting with us, {visitor.name|and have a nice day}!' },
]

// Save each reply, or bring one saved by an earlier run up to date.
const existing = await parley.cannedReplies.list({ scope: 'brand' })
for (const w of wanted) {
  const saved = existing.find((r) => r.shortcut === w.shortcut)
  if (saved) await parley.cannedReplies.update(saved.replyId, { title: w.title, text: w.text })
  else await parley.cannedReplies.create({ scope: 'brand', ...w })
}
const replies = await parley.cannedReplies.list()
console.log(`canned replies: ${replies.map((r) => `/${r.shortcut}`).join(', ')}`)

try {
  await parley.cannedReplies.create({ scope: 'brand', shortcut: 'refund', title: 'Another refund', text: 'Twice?' })
} catch (e) {
  if (!(e instanceof ConflictError)) throw e
  console.log(`refused as expected: ${e.code} (${e.message})`)
}

const found = await parley.cannedReplies.list({ q: 'REFUNDS' })
console.log(`search "REFUNDS": ${found.map((r) => r.title).join(', ')}`)

// What an agent named Sam Ortiz gets in the composer after typing /refund to Maya, then to a visitor
// who gave no name.
const refund = findByShortcut(replies, 'refund', null)
console.log(`to Maya: ${fillPlaceholders(refund.text, { visitor: { name: 'Maya' }, agent: { name: 'Sam Ortiz' } })}`)
const hello = findByShortcut(replies, 'hello', null)
console.log(`to a visitor without a name: ${fillPlaceholders(hello.text, { agent: { name: 'Sam Ortiz' } })}`)
