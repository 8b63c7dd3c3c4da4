import { randomBytes } from 'node:crypto'
import type { TestRelay } from './start-relay.js'
import { createTestAgent, type TestBrand } from './brand.js'
import { callRest } from './rest.js'
import { preAnswers, saveTestSurveys } from './survey-brand.js'
import { TestClient } from './ws-client.js'

// A visitor with data in every place a data-rights call reaches, made through the real relay: a live
// chat opened with the pre-chat form answered, a message each way with an agent, and an offline form
// left (with the visitor's token) with an e-mail address. Words are distinctive, so a test can look
// for them in an export (or, after an erasure, for their absence anywhere).

/** Hostile text a visitor may type: every rendering must show it, never run it. */
export const SCRIPT_TEXT = '<script>alert("pwned")</script>'

/** What the chatting visitor left, and where. */
export interface ChattedVisitor {
  visitorId: string
  token: string
  /** The e-mail address of the offline form, in mixed case as typed. */
  email: string
  /** The live chat (pre-chat answered) and the offline form's conversation. */
  chatConvId: string
  offlineConvId: string
  /** Distinctive words: in the visitor's message, the pre-chat note, the agent's reply, the offline message. */
  words: { message: string; note: string; reply: string; offline: string }
  agentName: string
}

const word = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`

/** Makes `brand` a chatting visitor (saving the test surveys, and an agent named `agentName`). */
export async function chattedVisitor(relay: TestRelay, brand: TestBrand, agentName = 'Grace Agent'): Promise<ChattedVisitor> {
  await saveTestSurveys(relay.deps.store, brand.brandId)
  const agent = await createTestAgent(relay, brand.brandId, agentName)
  const words = { message: word('zebra'), note: word('quartz'), reply: word('walrus'), offline: word('violet') }
  const email = `Ada.${word('x')}@Example.com`
  const { client: staff } = await TestClient.agent(relay.wsUrl, agent.token)
  const { client: visitor, welcome } = await TestClient.visitor(relay.wsUrl, brand.siteKey)
  try {
    if (welcome.identity.kind !== 'visitor') throw new Error('expected a visitor identity')
    const { visitorId, token } = welcome.identity
    const chatConvId = word('c')
    visitor.send({ type: 'conversation.open', convId: chatConvId, clientMsgId: 'open-1', survey: preAnswers({ name: 'Ada Lovelace', topic: 'sales', note: `${words.note} ${SCRIPT_TEXT}` }) })
    await visitor.next('conversation.started', (f) => f.convId === chatConvId)
    visitor.send({ type: 'message.send', convId: chatConvId, clientMsgId: 'm-1', text: `Hello ${words.message} ${SCRIPT_TEXT}` })
    await visitor.next('message.ack', (a) => a.clientMsgId === 'm-1')
    staff.send({ type: 'conversation.join', convId: chatConvId, ref: 'join-1' })
    await staff.next('conversation.joined', (f) => f.ref === 'join-1')
    staff.send({ type: 'message.send', convId: chatConvId, clientMsgId: 'a-1', text: `Hi Ada, ${words.reply}` })
    await staff.next('message.ack', (a) => a.clientMsgId === 'a-1')
    const offline = await callRest(relay, {
      method: 'POST', url: `/v1/sites/${brand.siteKey}/offline-messages`, token,
      headers: { origin: brand.origin }, body: { name: 'Ada Lovelace', email, message: `Call me ${words.offline}`, clientMsgId: 'om-1' },
    })
    if (offline.status !== 201) throw new Error(`offline form refused: ${offline.raw}`)
    return { visitorId, token, email, chatConvId, offlineConvId: offline.body.convId, words, agentName }
  } finally {
    visitor.close()
    staff.close()
  }
}
