import type { Conversation, ConversationPage, MessagePage, StoredMessage } from '@parley/sdk/contract'
import type { TestRelay } from './start-relay.js'

// What the relay stored, read back over REST with the brand's API key (the transcript a brand sees).

async function getJson<T>(relay: TestRelay, apiKey: string, url: string): Promise<{ status: number; body: T }> {
  const res = await relay.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${apiKey}` } })
  return { status: res.statusCode, body: res.json() as T }
}

/** Every stored message of a conversation in seq order (all pages); fails if the conversation is unknown. */
export async function storedMessages(relay: TestRelay, apiKey: string, convId: string): Promise<StoredMessage[]> {
  const all: StoredMessage[] = []
  for (;;) {
    const after = all.length > 0 ? all[all.length - 1]!.seq : 0
    const { status, body } = await getJson<MessagePage>(relay, apiKey, `/v1/conversations/${convId}/messages?afterSeq=${after}&limit=1000`)
    if (status !== 200) throw new Error(`transcript of ${convId}: HTTP ${status} ${JSON.stringify(body)}`)
    all.push(...body.messages)
    if (!body.more) return all
  }
}

/** The conversation header, or the HTTP status when the relay does not show it. */
export async function storedConversation(relay: TestRelay, apiKey: string, convId: string): Promise<Conversation | { status: number }> {
  const { status, body } = await getJson<Conversation>(relay, apiKey, `/v1/conversations/${convId}`)
  return status === 200 ? body : { status }
}

/** A visitor's conversations, newest first (first page of up to 200). */
export async function storedConversationsOf(relay: TestRelay, apiKey: string, visitorId: string): Promise<Conversation[]> {
  const { status, body } = await getJson<ConversationPage>(relay, apiKey, `/v1/conversations?visitorId=${visitorId}&limit=200`)
  if (status !== 200) throw new Error(`conversations of ${visitorId}: HTTP ${status}`)
  return body.conversations
}
