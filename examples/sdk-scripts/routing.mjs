#!/usr/bin/env node
// Turns the demo brand's routing automatic through the brand SDK, so the relay offers each new chat
// to an agent who fits instead of waiting for someone to accept it from the queue, and gives the
// demo agent the skills the demo's pre-chat form routes to (billing, orders). Shows that a skill
// which is not a slug is refused, then prints the routing settings and the agent's skills and
// capacity. Run it twice: the second run saves the same settings and prints the same lines.
//
//   npm start                                           # in another terminal: relay + demo brand
//   node examples/sdk-scripts/routing.mjs [RELAY_URL] [DATA_DIR]
//
// RELAY_URL defaults to http://127.0.0.1:8080, DATA_DIR to ./.parley-data (where npm start keeps
// demo.json with the demo brand's API key). PARLEY_API_KEY, when set, is used instead of demo.json.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { InvalidRequestError, Parley } from '@parley/sdk'

const relay = process.argv[2] ?? 'http://127.0.0.1:8080'
const apiKey = process.env.PARLEY_API_KEY
  ?? JSON.parse(readFileSync(join(process.argv[3] ?? '.parley-data', 'demo.json'), 'utf8')).apiKey
const parley = new Parley({ relay, apiKey })

// A merge patch: only the mode changes, the offer timeout and the inactivity close keep their values.
await parley.routing.update({ mode: 'automatic' })

// The agent `npm start` created. `agents.list()` gives colleagues by id and name only; presence()
// also has each agent's skills, capacity and status.
const DEMO_AGENT = 'Dana (demo agent)'
const demo = (await parley.agents.presence()).agents.find((a) => a.name === DEMO_AGENT)
if (!demo) throw new Error(`no agent named "${DEMO_AGENT}": run this against the demo brand npm start created`)

try {
  await parley.agents.update(demo.agentId, { skills: ['Billing desk'] })
} catch (e) {
  if (!(e instanceof InvalidRequestError)) throw e
  console.log(`refused as expected: ${e.code} ("Billing desk" is not a skill slug)`)
}

// `skills` replaces the list whole, so saving it again changes nothing.
const agent = await parley.agents.update(demo.agentId, { skills: ['billing', 'orders'] })

const routing = await parley.routing.get()
console.log(`routing: ${routing.mode}, offers time out after ${routing.offerTimeoutSec} s, quiet chats close after ${routing.inactivityCloseMin} min`)
console.log(`${agent.name}: skills ${agent.skills.join(', ')}; takes ${agent.capacity} chats at once`)
