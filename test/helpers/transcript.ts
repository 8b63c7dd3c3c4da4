import { expect } from 'vitest'
import type { Conversation, StoredMessage } from '@parley/sdk/contract'
import { callRest } from './rest.js'
import type { TestRelay } from './start-relay.js'
import type { TestBrand } from './brand.js'
import { TestClient } from './ws-client.js'

/** Every conversation of the brand (up to 200), read over REST with its API key. */
export async function listBrandConversations(relay: TestRelay, brand: TestBrand): Promise<Conversation[]> {
  const res = await callRest(relay, { url: '/v1/conversations?limit=200', token: brand.apiKey })
  expect(res.status, res.raw).toBe(200)
  return res.body.conversations as Conversation[]
}

/** A conversation's stored messages (up to 1000), read over REST with the brand's API key. */
export async function readTranscript(relay: TestRelay, brand: TestBrand, convId: string): Promise<StoredMessage[]> {
  const res = await callRest(relay, { url: `/v1/conversations/${convId}/messages?limit=1000`, token: brand.apiKey })
  expect(res.status, res.raw).toBe(200)
  return res.body.messages as StoredMessage[]
}

let serial = 0

/**
 * Asserts the relay still serves other clients: a fresh visitor of `brand` opens a conversation,
 * gets its ack, and the message is stored. Returns the new conversation id.
 */
export async function expectServing(relay: TestRelay, brand: TestBrand): Promise<string> {
  const convId = `still-serving-${process.pid}-${++serial}`
  const { client } = await TestClient.visitor(relay.wsUrl, brand.siteKey)
  try {
    client.send({ type: 'message.send', convId, clientMsgId: 'probe', text: 'still there?' })
    const ack = await client.next('message.ack', (a) => a.convId === convId)
    expect(ack.seq).toBe(1)
    const stored = await readTranscript(relay, brand, convId)
    expect(stored.map((m) => m.text)).toEqual(['still there?'])
  } finally {
    client.close()
  }
  return convId
}
