import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import {
  Conversation, ConversationListQuery, ConversationPage, ConvParams, MessageListQuery, MessagePage,
} from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { ConversationFilter, ConversationRecord, ListedConversation, MessageRecord } from '../../store/store.js'
import { listingScope, type Principal } from '../../auth/policy.js'
import { accessibleConversation } from './conversation-access.js'
import { servesCustomer } from '../../auth/conversation-facts.js'
import { requirePrincipalFor } from './principal-for-action.js'
import { recordTranscriptRead, recordTranscriptSearch } from '../../audit/transcript-audit.js'

// Transcripts over REST, as the policy (auth/policy.ts) allows: a key with transcripts:read, a
// supervisor or an admin sees the brand's conversations; an agent of the plain role those they
// hold or take part in (and, to read, those waiting in the queue), and with customer.history the
// whole history of a verified customer they serve; a visitor token only that visitor's, another's
// looking like it does not exist.

/** The REST header; a legal hold (the brand's words about a case) only for the brand's own people and keys. */
function toWire(c: ConversationRecord, showHold = false): Conversation {
  return {
    convId: c.convId, brandId: c.brandId, visitorId: c.visitorId, status: c.status, createdAt: c.createdAt,
    closedAt: c.closedAt, lastSeq: c.lastSeq, context: c.context, assignedAgentId: c.assignedAgentId,
    origin: c.origin, contact: c.contact, ...(Object.keys(c.routing).length > 0 ? { routing: c.routing } : {}),
    ...(c.erasedAt ? { erasedAt: c.erasedAt } : {}), ...(showHold && c.legalHold ? { legalHold: c.legalHold } : {}),
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
  const readers = requirePrincipalFor(app, 'conversation.read', 'brand', 'agent', 'visitor')

  /** What the store lists for the request: the query narrowed to the principal's listing scope. */
  async function listingFilter(req: FastifyRequest<{ Querystring: ConversationListQuery }>, p: Principal): Promise<ConversationFilter> {
    const scope = listingScope(p)
    if (scope.kind === 'visitor') return { ...req.query, visitorId: scope.visitorId }
    if (scope.kind === 'all') return req.query
    const { visitorId } = req.query
    if (visitorId === undefined) return { ...req.query, participant: scope.agentId }
    // The agent's own conversations with this visitor need nothing more: the console asks for them
    // in every chat it opens ("Earlier conversations"), so refusing would deny every plain agent.
    // Beyond those, one visitor's conversations are a customer's history: all of them only where
    // customer.history is allowed (the role or the brand's setting) and the visitor is a verified
    // customer the agent serves; otherwise the listing stays the agent's own with that visitor.
    const own = { ...req.query, participant: scope.agentId }
    if (!await app.allows(req, 'customer.history')) return own
    const history = await servesCustomer(deps.store, p.brandId, scope.agentId, visitorId)
    return listingScope(p, history).kind === 'all' ? req.query : own
  }

  app.get<{ Querystring: ConversationListQuery }>('/v1/conversations', {
    schema: { summary: 'List conversations, newest first; filter by status, visitor, agent, topic, date, CSAT; search open and closed transcripts', querystring: ConversationListQuery, response: { 200: ConversationPage } },
    preHandler: requirePrincipalFor(app, 'conversation.search', 'brand', 'agent', 'visitor'),
  }, async (req) => {
    const p = req.principal!
    // A visitor lists their own conversations only, which is no search of the brand's.
    if (p.kind !== 'visitor') await app.checkAccess(req, 'conversation.search')
    const page = await deps.store.listConversations(p.brandId, await listingFilter(req, p))
    await recordTranscriptSearch(app.audit, req, req.query, page.conversations.length)
    return { conversations: page.conversations.map(toListed), next: page.next }
  })

  app.get<{ Params: ConvParams }>('/v1/conversations/:convId', {
    schema: { summary: "A conversation's header", params: ConvParams, response: { 200: Conversation } },
    preHandler: readers,
  }, async (req) => {
    const conv = await accessibleConversation(app, deps.store, req, req.params.convId)
    await recordTranscriptRead(app.audit, req, conv.convId, 'header')
    return toWire(conv, req.principal!.kind !== 'visitor')
  })

  app.get<{ Params: ConvParams; Querystring: MessageListQuery }>('/v1/conversations/:convId/messages', {
    schema: { summary: 'A page of a transcript, in sequence order', params: ConvParams, querystring: MessageListQuery, response: { 200: MessagePage } },
    preHandler: readers,
  }, async (req) => {
    const conv = await accessibleConversation(app, deps.store, req, req.params.convId)
    const limit = req.query.limit ?? 200
    const rows = await deps.store.readMessages(conv.brandId, conv.convId, req.query.afterSeq ?? 0, limit + 1)
    await recordTranscriptRead(app.audit, req, conv.convId, 'messages')
    return { messages: rows.slice(0, limit).map(toStored), more: rows.length > limit }
  })
}
