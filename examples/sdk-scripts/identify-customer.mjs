#!/usr/bin/env node
// Verified visitor identity, end to end, as a brand's server and page would do it. Creates an HS256
// identity secret with the brand SDK (when the brand already has two, the older one is deleted
// first: that is how a brand rotates), signs a customer's identity token twice — with jose, and
// with node:crypto alone — and then plays the page: a visitor says hello, sends visitor.identify
// (what Parley('identify', token) does), is told who it now is, says hello again with its new
// token, and finally logs out (Parley('forget')), after which the identity token is refused.
//
//   npm start                                              # in another terminal: relay + demo brand
//   node examples/sdk-scripts/identify-customer.mjs [RELAY_URL] [DATA_DIR]
//
// RELAY_URL defaults to http://127.0.0.1:8080, DATA_DIR to ./.parley-data (where npm start keeps
// demo.json with the demo brand's API key and site key).

import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SignJWT } from 'jose'
import WebSocket from 'ws'
import { Parley } from '@parley/sdk'

const relay = (process.argv[2] ?? 'http://127.0.0.1:8080').replace(/\/$/, '')
const demo = JSON.parse(readFileSync(join(process.argv[3] ?? '.parley-data', 'demo.json'), 'utf8'))
const parley = new Parley({ relay, apiKey: process.env.PARLEY_API_KEY ?? demo.apiKey })

// ── the brand's server: a signing secret ──────────────────────────────────────────────────────────
const existing = await parley.identity.secrets.list()
if (existing.length >= 2) {
  await parley.identity.secrets.delete(existing[0].secretId)
  console.log(`rotated: deleted the older secret ${existing[0].secretId}`)
}
const { secretId, secret } = await parley.identity.secrets.create()
console.log(`created secret ${secretId} (shown once: keep it on your server)`)

// ── the brand's server: a token for the logged-in customer ────────────────────────────────────────
const customer = { sub: 'customer-4711', name: 'Ada Lovelace', email: 'ada@example.com' }

// With jose: the audience is the brand id (unless the brand set another), 5 minutes of life.
const withJose = await new SignJWT({ name: customer.name, email: customer.email })
  .setProtectedHeader({ alg: 'HS256', kid: secretId })
  .setSubject(customer.sub)
  .setAudience(demo.brandId)
  .setIssuedAt()
  .setExpirationTime('5m')
  .sign(Buffer.from(secret, 'base64url'))

// With node:crypto only: the same JWT by hand (HS256 is an HMAC over header.payload).
function signHs256(claims, key, kid) {
  const part = (o) => Buffer.from(JSON.stringify(o)).toString('base64url')
  const input = `${part({ alg: 'HS256', typ: 'JWT', kid })}.${part(claims)}`
  return `${input}.${createHmac('sha256', Buffer.from(key, 'base64url')).update(input).digest('base64url')}`
}
const iat = Math.floor(Date.now() / 1000)
const withCrypto = signHs256({ ...customer, aud: demo.brandId, iat, exp: iat + 300 }, secret, secretId)
console.log(`signed two tokens for ${customer.sub} (jose: ${withJose.length} chars, node:crypto: ${withCrypto.length} chars)`)

// ── the page: what Parley('identify', token) and Parley('forget') send ───────────────────────────
const live = `${relay.replace(/^http/, 'ws')}/v1/live?site=${demo.siteKey}`
const origin = demo.origins[0]

/** Opens a visitor socket, says hello (with `token` when returning) and resolves with helpers once welcomed. */
function visitor(token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(live, { origin })
    const frames = []
    let wake = () => {}
    let closed = null
    ws.on('message', (data) => { frames.push(JSON.parse(String(data))); wake() })
    ws.on('close', (code) => { closed = code; wake() })
    ws.once('error', reject)
    const next = (type) => new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no ${type} within 5 s`)), 5000)
      const check = () => {
        const i = frames.findIndex((f) => f.type === type || f.type === 'error')
        if (i >= 0) { clearTimeout(timer); return res(frames.splice(i, 1)[0]) }
        if (closed !== null) { clearTimeout(timer); rej(new Error(`closed (${closed}) waiting for ${type}`)) }
      }
      wake = check
      check()
    })
    const closedWith = () => new Promise((res) => { if (closed !== null) res(closed); else ws.once('close', res) })
    ws.once('open', async () => {
      ws.send(JSON.stringify({ type: 'hello', protocol: 1, auth: token ? { kind: 'visitor', token } : { kind: 'visitor' } }))
      const welcome = await next('welcome')
      resolve({ welcome, send: (f) => ws.send(JSON.stringify(f)), next, closedWith, close: () => ws.close() })
    })
  })
}

const anonymous = await visitor()
console.log(`visitor ${anonymous.welcome.identity.visitorId} connected (anonymous)`)
anonymous.send({ type: 'visitor.identify', token: withJose, ref: 'identify' })
const identified = await anonymous.next('visitor.identified')
const who = identified.identity
console.log(`identified as ${who.customer.customerId} (${who.customer.name}); the relay closed with ${await anonymous.closedWith()}`)

const back = await visitor(who.token)
console.log(`hello again: welcome says customer ${back.welcome.identity.customer?.customerId}`)

back.send({ type: 'visitor.forget', ref: 'logout' })
await back.next('visitor.forgotten')
console.log(`logged out; the relay closed with ${await back.closedWith()}`)

const replay = await visitor()
replay.send({ type: 'visitor.identify', token: withJose, ref: 'replay' })
const refused = await replay.next('visitor.identified')
replay.close()
// next() answers an error frame too: anything else (a replay that verified) is the bug this shows.
if (refused.type !== 'error' || refused.code !== 'PARLEY_ERR_IDENTITY_REVOKED') {
  console.error(`the replayed token was not refused: got ${refused.type}${refused.code ? ` ${refused.code}` : ''}`)
  process.exit(1)
}
console.log(`replayed token refused as expected: ${refused.code}`)

// The node:crypto token works the same: a new login after the logout.
const again = await visitor()
again.send({ type: 'visitor.identify', token: withCrypto, ref: 'again' })
const second = await again.next('visitor.identified')
console.log(`the node:crypto token verifies too: ${second.identity?.customer?.customerId ?? second.code}`)
await again.closedWith()
