#!/usr/bin/env node
// A visitor and an agent talking through a Parley relay, over the raw v1 protocol (docs/protocol.md).
// It shows the delivery contract a client relies on: client-made ids, ack after commit, the agent
// joining, and a visitor who drops off, misses two replies and gets exactly those back on resume.
//
//   npm start                                  # in another terminal: relay + demo brand
//   node examples/node-chat/chat.mjs [RELAY_URL] [DATA_DIR]
//
// RELAY_URL defaults to http://127.0.0.1:8080, DATA_DIR to ./.parley-data (where npm start keeps
// demo.json with the demo brand's site key and agent login).

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import WebSocket from 'ws'

const relay = (process.argv[2] ?? 'http://127.0.0.1:8080').replace(/\/$/, '')
const demo = JSON.parse(readFileSync(join(process.argv[3] ?? '.parley-data', 'demo.json'), 'utf8'))
const live = `${relay.replace(/^http/, 'ws')}/v1/live`
// Ids as the SDK makes them (randomId): base64url, 126 random bits. Not a dashed UUID: its groups of
// hex digits now and then read as a card number to the relay's id check, which refuses the frame.
const id = () => randomBytes(16).toString('base64url').slice(0, 21)

/** Opens a socket and returns helpers to send frames and wait for the next frame of a type. */
function connect(url, origin) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {})
    const frames = []
    const waiters = []
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data))
      if (frame.type === 'error') console.error('  ! error', frame.code, frame.message)
      frames.push(frame)
      for (const w of [...waiters]) w()
    })
    ws.once('error', reject)
    ws.once('open', () => resolve({
      send: (frame) => ws.send(JSON.stringify(frame)),
      next: (type, pred = () => true) => new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no ${type} within 5 s`)), 5000)
        const check = () => {
          const i = frames.findIndex((f) => f.type === type && pred(f))
          if (i < 0) return
          const [f] = frames.splice(i, 1)
          waiters.splice(waiters.indexOf(check), 1)
          clearTimeout(timer)
          res(f)
        }
        waiters.push(check)
        check()
      }),
      close: () => new Promise((res) => { ws.once('close', res); ws.close() }),
    }))
  })
}

// The visitor's browser would send the demo page's origin; the relay checks it against the brand.
const origin = demo.origins[0]
const visitor = await connect(`${live}?site=${demo.siteKey}`, origin)
visitor.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' }, context: { url: `${origin}/pricing`, title: 'Pricing', language: 'en' } })
const welcome = await visitor.next('welcome')
console.log(`visitor ${welcome.identity.visitorId} connected`)

const convId = id()
const first = { type: 'message.send', convId, clientMsgId: id(), text: 'Hi! Do you ship to Norway?' }
visitor.send(first)
const ack = await visitor.next('message.ack', (f) => f.clientMsgId === first.clientMsgId)
console.log(`visitor: "${first.text}" stored as seq ${ack.seq}`)

// A retry of the same message (as after a lost ack) gets the same ack and stores nothing new.
visitor.send(first)
const again = await visitor.next('message.ack', (f) => f.clientMsgId === first.clientMsgId)
console.log(`visitor: resent it, same ack (seq ${again.seq})`)

const login = await fetch(`${relay}/v1/agent/sessions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ brandId: demo.brandId, email: demo.agentEmail, password: demo.agentPassword }),
})
if (!login.ok) throw new Error(`agent login failed: ${login.status} ${await login.text()}`)
const { token, agent: me } = await login.json()
const agent = await connect(live)
agent.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token } })
await agent.next('welcome')
agent.send({ type: 'conversation.join', convId })
const joined = await agent.next('conversation.joined')
console.log(`agent ${me.name} joined; the visitor came from ${joined.context?.url}`)
agent.send({ type: 'conversation.resume', convs: [{ convId, afterSeq: 0 }] })
const earlier = await agent.next('message.new', (f) => f.convId === convId)
console.log(`agent sees: "${earlier.text}"`)

agent.send({ type: 'message.send', convId, clientMsgId: id(), text: 'Yes, we do. Delivery takes 3-5 days.' })
const reply = await visitor.next('message.new', (f) => f.from.kind === 'agent')
console.log(`visitor sees: "${reply.text}" (seq ${reply.seq})`)

// The visitor drops off; the agent writes twice; the visitor comes back with its token and the last
// seq it holds, and gets exactly what it missed.
await visitor.close()
for (const text of ['Is there anything else I can help with?', 'Here is our shipping page: https://example.com/shipping']) {
  const m = { type: 'message.send', convId, clientMsgId: id(), text }
  agent.send(m)
  await agent.next('message.ack', (f) => f.clientMsgId === m.clientMsgId)
}
const back = await connect(`${live}?site=${demo.siteKey}`, origin)
back.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor', token: welcome.identity.token }, resume: [{ convId, afterSeq: reply.seq }] })
await back.next('welcome')
const resumed = await back.next('conversation.resumed', (f) => f.convId === convId)
console.log(`visitor reconnected and caught up to seq ${resumed.lastSeq}:`)
for (let seq = reply.seq + 1; seq <= resumed.lastSeq; seq++) {
  const m = await back.next('message.new', (f) => f.seq === seq)
  console.log(`  ${seq}. ${m.from.name ?? m.from.kind}: ${m.text}`)
}

back.send({ type: 'conversation.close', convId })
await back.next('conversation.closed')
await agent.next('conversation.closed')
console.log(`conversation ${convId} closed`)
await back.close()
await agent.close()
