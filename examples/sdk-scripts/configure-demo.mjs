#!/usr/bin/env node
// Configures the demo brand through the brand SDK: its name, the widget's colour and texts, and
// masking (e-mail addresses on, plus one brand pattern for order numbers). Then it shows what the
// saved configuration does to a sample message, with the same engine the widget and the relay run.
//
//   npm start                                           # in another terminal: relay + demo brand
//   node examples/sdk-scripts/configure-demo.mjs [RELAY_URL] [DATA_DIR]
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

const brand = await parley.brand.update({ name: 'Parley Demo Outfitters' })
console.log(`brand ${brand.brandId} is now "${brand.name}" (site key ${brand.siteKey})`)

const widget = await parley.widgetConfig.update({
  color: '#0a7d5a',
  texts: {
    en: { title: 'Outfitters help desk', greeting: 'Hi! Ask us about sizes, orders or returns.' },
    fr: { title: 'Service client', greeting: 'Bonjour ! Une question sur une commande ?' },
  },
})
console.log(`widget colour ${widget.color}, titles: ${Object.entries(widget.texts ?? {}).map(([l, t]) => `${l} "${t.title}"`).join(', ')}`)

// A pattern a linear-time engine cannot promise to run is refused when saved, naming it.
try {
  await parley.masking.update({ patterns: [{ name: 'greedy', pattern: '(a+)+$' }] })
} catch (err) {
  if (!(err instanceof InvalidRequestError)) throw err
  console.log(`refused as expected: ${err.code} (${err.message})`)
}

const masking = await parley.masking.set({
  email: { enabled: true },
  patterns: [{ name: 'order number', pattern: 'ORD-[0-9]{6}', replacement: '[order]' }],
})
console.log(`masking: e-mail ${masking.email?.enabled ? 'on' : 'off'}, patterns ${masking.patterns?.map((p) => p.name).join(', ')}`)

const sample = 'Order ORD-123456 was paid with 4111 1111 1111 1111; write to jo@example.com'
const { text, findings } = await parley.masking.test(sample)
console.log(`masked: ${text}`)
console.log(`found: ${findings.map((f) => f.detector).join(', ')}`)
