import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import {
  Conversation, ConversationListQuery, ConversationPage, ConvParams, MessageListQuery, MessagePage,
} from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { ConversationRecord, ListedConversation, MessageRecord } from '../../store/store.js'
import { httpError } from '../../errors.js'
import { mayRead } from '../../policy/conversation-policy.js'
import { recordTranscriptRead, recordTranscriptSearch } from '../../audit/transcript-audit.js'

// Transcripts over REST. A brand key or agent sees the brand's conversations; a visitor token sees
// only that visitor's. Anything else looks like it does not exist.

function toWire(c: ConversationRecord): Conversation {
  return {
    convId: c.convId, brandId: c.brandId, visitorId: c.visitorId, status: c.status, createdAt: c.createdAt,
    closedAt: c.closedAt, lastSeq: c.lastSeq, context: c.context, assignedAgentId: c.assignedAgentId,
    origin: c.origin, contact: c.contact, ...(Object.keys(c.routing).length > 0 ? { routing: c.routing } : {}),
  }
}

function toListed(c: ListedConversation): Conversation {
  return { ...toWire(c), ...(c.csat !== null ? { csat: c.csat } : {}), preview: c.preview }
}

function toStored(m: MessageRecord) {
  const stored = { convId: m.convId, seq: m.seq, clientMsgId: m.clientMsgId, from: m.from, text: m.text, at: m.at }
  return m.attachments ? { ...stored, attachments: m.attachments } : stored
}

/** Transcript listing and reading. */
export const conversationRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  const readers = app.requirePrincipal('brand', 'agent', 'visitor')

  async function visible(req: FastifyRequest, convId: string): Promise<ConversationRecord> {
    const p = req.principal!
    const conv = await deps.store.getConversation(p.brandId, convId)
    if (!conv || !mayRead(conv, p)) throw httpError('PARLEY_ERR_CONV_NOT_FOUND', convId)
    return conv
  }

  app.get<{ Querystring: ConversationListQuery }>('/v1/conversations', {
    schema: { summary: 'List conversations, newest first; filter by status, visitor, agent, topic, date, CSAT; search open and closed transcripts', querystring: ConversationListQuery, response: { 200: ConversationPage } },
    preHandler: readers,
  }, async (req) => {
    const p = req.principal!
    const query = p.kind === 'visitor' ? { ...req.query, visitorId: p.visitorId } : req.query
    const page = await deps.store.listConversations(p.brandId, query)
    await recordTranscriptSearch(app.audit, req, req.query, page.conversations.length)
    return { conversations: page.conversations.map(toListed), next: page.next }
  })

  app.get<{ Params: ConvParams }>('/v1/conversations/:convId', {
    schema: { summary: "A conversation's header", params: ConvParams, response: { 200: Conversation } },
    preHandler: readers,
  }, async (req) => {
    const conv = await visible(req, req.params.convId)
    await recordTranscriptRead(app.audit, req, conv.convId, 'header')
    return toWire(conv)
  })

  app.get<{ Params: ConvParams; Querystring: MessageListQuery }>('/v1/conversations/:convId/messages', {
    schema: { summary: 'A page of a transcript, in sequence order', params: ConvParams, querystring: MessageListQuery, response: { 200: MessagePage } },
    preHandler: readers,
  }, async (req) => {
    const conv = await visible(req, req.params.convId)
    const limit = req.query.limit ?? 200
    const rows = await deps.store.readMessages(conv.brandId, conv.convId, req.query.afterSeq ?? 0, limit + 1)
    await recordTranscriptRead(app.audit, req, conv.convId, 'messages')
    return { messages: rows.slice(0, limit).map(toStored), more: rows.length > limit }
  })
}
