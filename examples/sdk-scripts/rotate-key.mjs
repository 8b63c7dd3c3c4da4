#!/usr/bin/env node
// Gives a program its own narrow API key and rotates it without downtime: the demo brand's admin key
// creates a key with only `reports:read`, rotates it (both secrets work during the grace period, so
// the program can move over at its own pace), revokes the old secret once the program has the new
// one, and finally revokes the new key too so every run leaves the brand as it found it.
//
//   npm start                                           # in another terminal: relay + demo brand
//   node examples/sdk-scripts/rotate-key.mjs [RELAY_URL] [DATA_DIR]
//
// RELAY_URL defaults to http://127.0.0.1:8080, DATA_DIR to ./.parley-data (where npm start keeps
// demo.json with the demo brand's API key). PARLEY_API_KEY, when set, is used instead of demo.json.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AuthenticationError, Parley } from '@parley/sdk'

const relay = process.argv[2] ?? 'http://127.0.0.1:8080'
const apiKey = process.env.PARLEY_API_KEY
  ?? JSON.parse(readFileSync(join(process.argv[3] ?? '.parley-data', 'demo.json'), 'utf8')).apiKey
const admin = new Parley({ relay, apiKey })
const NAME = 'rotate-key example'

/** Whether a secret works: it reads the floor view, which `reports:read` allows. */
async function works(secret) {
  try {
    await new Parley({ relay, apiKey: secret, maxRetries: 0 }).supervisor.get()
    return 'works'
  } catch (e) {
    if (!(e instanceof AuthenticationError)) throw e
    return `refused (${e.code})`
  }
}

// The secret is in this answer and nowhere else: a real program would put it in its secret store now.
const first = await admin.keys.create({ name: NAME, scopes: ['reports:read'] })
console.log(`created "${first.key.name}" with scopes ${first.key.scopes.join(', ')}: ${await works(first.secret)}`)

// Rotate: a new secret with the same name and scopes; the old one keeps working for an hour.
const second = await admin.keys.rotate(first.key.keyId, { graceSeconds: 3600 })
console.log(`rotated: old key ${await works(first.secret)}, new key ${await works(second.secret)}`)

// The program has the new secret: end the grace period early.
await admin.keys.revoke(first.key.keyId)
console.log(`old key revoked: old key ${await works(first.secret)}, new key ${await works(second.secret)}`)

await admin.keys.revoke(second.key.keyId)
const working = (await admin.keys.list()).filter((k) => k.name === NAME && k.revokedAt === null)
console.log(`new key revoked too; working keys named "${NAME}": ${working.length}`)
