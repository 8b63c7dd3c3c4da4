#!/usr/bin/env node
// Gives the demo brand a pre-chat form and a post-chat survey through the brand SDK, checks answers
// locally with the same logic the widget and the relay run, then lets a scripted visitor answer
// both over the protocol and prints what was stored and the brand's report for today.
//
//   npm start                                           # in another terminal: relay + demo brand
//   node examples/sdk-scripts/surveys.mjs [RELAY_URL] [DATA_DIR]
//
// RELAY_URL defaults to http://127.0.0.1:8080, DATA_DIR to ./.parley-data (where npm start keeps
// demo.json with the demo brand's API key and site key). PARLEY_API_KEY, when set, is used instead
// of the one in demo.json.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { InvalidRequestError, Parley } from '@parley/sdk'
import { answerProblems, routeOf } from '@parley/sdk/surveys'

const relay = (process.argv[2] ?? 'http://127.0.0.1:8080').replace(/\/$/, '')
const demo = JSON.parse(readFileSync(join(process.argv[3] ?? '.parley-data', 'demo.json'), 'utf8'))
const parley = new Parley({ relay, apiKey: process.env.PARLEY_API_KEY ?? demo.apiKey })

const support = {
  id: 'support', kind: 'pre', name: 'Support form', title: { en: 'Before we start', fr: 'Avant de commencer' },
  fields: [
    { id: 'name', type: 'text', purpose: 'name', required: true, label: { en: 'Your name', fr: 'Votre nom' } },
    {
      id: 'topic', type: 'choice', required: true, label: { en: 'What is it about?', fr: 'De quoi s\'agit-il ?' },
      options: [
        { value: 'billing', label: { en: 'Billing', fr: 'Facturation' }, route: { topic: 'billing', skill: 'billing', priority: 'high' } },
        { value: 'orders', label: { en: 'Orders', fr: 'Commandes' }, route: { topic: 'orders' } },
        { value: 'other', label: { en: 'Other', fr: 'Autre' }, route: { topic: 'other', priority: 'low' } },
      ],
    },
    { id: 'invoice', type: 'text', format: 'digits', maxLength: 12, label: 'Invoice number', when: { field: 'topic', is: 'billing' } },
    { id: 'email', type: 'email', purpose: 'email', label: 'E-mail' },
    { id: 'consent', type: 'consent', required: true, label: 'I agree that the shop keeps this chat for 90 days.' },
  ],
}
const feedback = {
  id: 'feedback', kind: 'post', name: 'After a chat', title: 'How did we do?',
  fields: [
    { id: 'csat', type: 'csat', required: true, label: 'How satisfied are you with this chat?' },
    { id: 'nps', type: 'nps', label: 'How likely are you to recommend us?' },
    { id: 'resolved', type: 'yesno', label: 'Was your question answered?' },
    { id: 'comment', type: 'longtext', maxLength: 1000, label: 'Anything else?' },
  ],
}

// A mistake is refused before anything is saved, naming where it is.
try {
  await parley.surveys.set({ surveys: [{ ...support, fields: [{ id: 'age', type: 'text', label: 'Age', min: 18 }] }], pre: 'support' })
} catch (err) {
  if (!(err instanceof InvalidRequestError)) throw err
  console.log(`refused as expected: ${err.code} (${err.message})`)
}

const saved = await parley.surveys.set({ surveys: [support, feedback], pre: 'support', post: 'feedback' })
console.log(`surveys: ${saved.surveys.map((s) => `${s.id} v${s.version}`).join(', ')}; pre ${saved.pre}, post ${saved.post}`)
const pre = saved.surveys.find((s) => s.id === 'support')
const post = saved.surveys.find((s) => s.id === 'feedback')

// The checks the widget runs as the visitor types, here, without a relay.
const problems = answerProblems(pre, { topic: 'billing', invoice: 'INV-1' })
console.log(`problems: ${problems.map((p) => `${p.field} ${p.code}`).join(', ')}`)
const answers = { name: 'Ada', topic: 'billing', invoice: '100234', email: 'ada@example.com', consent: true }
console.log(`routing: ${JSON.stringify(routeOf(pre, answers))}`)

// A visitor on the demo page: opens the chat with the form's answers, writes, closes, rates it.
const visitor = await connect(`${relay.replace(/^http/, 'ws')}/v1/live?site=${demo.siteKey}`, demo.origins[0])
visitor.send({ type: 'hello', protocol: 1, auth: { kind: 'visitor' }, context: { url: `${demo.origins[0]}/`, language: 'en' } })
await visitor.next('welcome')
const convId = `cv_${randomUUID()}`
visitor.send({ type: 'conversation.open', convId, clientMsgId: randomUUID(), survey: { surveyId: pre.id, version: pre.version, language: 'en', answers } })
await visitor.next('conversation.started')
visitor.send({ type: 'message.send', convId, clientMsgId: randomUUID(), text: 'My invoice shows the wrong address.' })
await visitor.next('message.ack')
visitor.send({ type: 'conversation.close', convId })
await visitor.next('conversation.closed')
visitor.send({ type: 'survey.answer', convId, clientMsgId: randomUUID(), survey: { surveyId: post.id, version: post.version, answers: { csat: 4, nps: 9, resolved: true, comment: 'Quick, thanks. Card 4111 1111 1111 1111 was charged twice.' } } })
await visitor.next('survey.answered')
await visitor.close()

const conv = await parley.conversations.retrieve(convId)
console.log(`conversation routing: ${JSON.stringify(conv.routing)}`)
for (const r of await parley.conversations.responses(convId)) {
  console.log(`${r.kind} ${r.surveyId} v${r.version}: ${JSON.stringify(r.answers)}`)
}

const today = new Date().toISOString().slice(0, 10)
const { total } = await parley.reports.get({ from: today, to: today })
console.log(`today: ${total.chats} chat(s), ${total.closed} closed, response rate ${total.responseRate}, CSAT ${total.csat.average}, NPS ${total.nps.score}`)

/** Opens a socket; `next(type)` waits for the next frame of that type. */
function connect(url, origin) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin })
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
      next: (type) => new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no ${type} within 5 s`)), 5000)
        const check = () => {
          const i = frames.findIndex((f) => f.type === type)
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
