#!/usr/bin/env node
// Gives the demo brand a small set of deployment rules through the brand SDK: returning visitors on
// /pricing for 5 s get an offer banner; outside business hours (or with no agent available) everyone
// gets the offline form; on /checkout nothing shows. Then it simulates a few visitors with the same
// evaluator the widget runs, and shows that a bad rule is refused with the path of the mistake.
//
//   npm start                                           # in another terminal: relay + demo brand
//   node examples/sdk-scripts/rules.mjs [RELAY_URL] [DATA_DIR]
//
// RELAY_URL defaults to http://127.0.0.1:8080, DATA_DIR to ./.parley-data (where npm start keeps
// demo.json with the demo brand's API key). PARLEY_API_KEY, when set, is used instead of demo.json.
// TIME_ZONE (default Europe/Paris) is the zone of the business hours.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { InvalidRequestError, Parley } from '@parley/sdk'

const relay = process.argv[2] ?? 'http://127.0.0.1:8080'
const apiKey = process.env.PARLEY_API_KEY
  ?? JSON.parse(readFileSync(join(process.argv[3] ?? '.parley-data', 'demo.json'), 'utf8')).apiKey
const timeZone = process.env.TIME_ZONE ?? 'Europe/Paris'
const parley = new Parley({ relay, apiKey })

// Monday to Friday 09:00-18:00, Saturday mornings, closed over Christmas.
const weekday = [{ from: '09:00', to: '18:00' }]
const hours = await parley.businessHours.set({
  timeZone,
  weekly: { mon: weekday, tue: weekday, wed: weekday, thu: weekday, fri: weekday, sat: [{ from: '09:00', to: '12:00' }] },
  holidays: [{ from: '2026-12-24', to: '2026-12-26', name: 'Christmas' }],
})
console.log(`business hours in ${hours.timeZone}: ${Object.keys(hours.weekly).join(', ')}; ${hours.holidays?.length ?? 0} holiday range(s)`)

// First match wins, so the order is the policy: the checkout is never interrupted, then the offline
// form whenever nobody can answer, then the offer.
const rules = [
  {
    id: 'checkout-quiet', name: 'Nothing on the checkout',
    when: { fact: 'path', op: 'prefix', value: '/checkout' },
    action: { type: 'hide' },
  },
  {
    id: 'after-hours', name: 'Offline form when nobody can answer',
    when: { any: [{ fact: 'businessHours', op: 'is', value: false }, { fact: 'agentsAvailable', op: 'lt', value: 1 }] },
    action: { type: 'offline-form' },
  },
  {
    id: 'pricing-offer', name: 'Coupon for returning visitors on pricing',
    when: { all: [
      { fact: 'path', op: 'is', value: '/pricing' },
      { fact: 'returning', op: 'is', value: true },
      { fact: 'timeOnPageSec', op: 'gte', value: 5 },
    ] },
    action: { type: 'offer', text: 'Welcome back! 10 % off today.', code: 'WELCOME10' },
    cap: { days: 7 },
  },
]

// A mistake is refused before anything is saved, naming where it is.
try {
  await parley.rules.set([{ id: 'typo', when: { fact: 'timeOnPageSec', op: 'prefix', value: '5' }, action: { type: 'hide' } }])
} catch (err) {
  if (!(err instanceof InvalidRequestError)) throw err
  console.log(`refused as expected: ${err.code} (${err.message})`)
}

const saved = await parley.rules.set(rules)
console.log(`rules: ${saved.rules.map((r) => r.id).join(', ')}`)

// A Tuesday in December at 10:00 and at 21:00 in the brand's zone.
const at = (clock) => zonedTime('2026-12-01', clock, timeZone)
const visitors = [
  ['returning visitor, 6 s on /pricing, 10:00', { url: 'https://shop.example/pricing', returning: true, timeOnPageSec: 6, agentsAvailable: 1, now: at('10:00') }],
  ['first visit, 6 s on /pricing, 10:00', { url: 'https://shop.example/pricing', returning: false, timeOnPageSec: 6, agentsAvailable: 1, now: at('10:00') }],
  ['returning visitor, 2 s on /pricing, 10:00', { url: 'https://shop.example/pricing', returning: true, timeOnPageSec: 2, agentsAvailable: 1, now: at('10:00') }],
  ['returning visitor on /pricing, 21:00', { url: 'https://shop.example/pricing', returning: true, timeOnPageSec: 6, agentsAvailable: 1, now: at('21:00') }],
  ['anyone, nobody available, 10:00', { url: 'https://shop.example/', agentsAvailable: 0, now: at('10:00') }],
  ['on /checkout, 21:00', { url: 'https://shop.example/checkout', now: at('21:00') }],
]
// Evaluated here, by the evaluator the widget runs, against the rules and hours just saved.
const decisions = await parley.rules.simulate(visitors.map(([, v]) => v))
for (const [i, d] of decisions.entries()) {
  console.log(`${visitors[i][0].padEnd(44)} -> ${d.action.type}${d.ruleId ? ` (${d.ruleId})` : ''}`)
}
const why = decisions[1]
console.log(`why no offer on a first visit: ${why.trace.find((t) => t.ruleId === 'pricing-offer')?.reason}`)

/** The instant (ms) when clocks in `zone` read `clock` on `date`. */
function zonedTime(date, clock, zone) {
  const guess = Date.parse(`${date}T${clock}:00Z`)
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
    .formatToParts(guess).map((p) => [p.type, p.value]))
  const shown = Date.parse(`${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:00Z`)
  return guess - (shown - guess)
}
