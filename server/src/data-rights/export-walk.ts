import {
  EXPORT_DOCUMENT_FORMAT, EXPORT_DOCUMENT_VERSION,
  type ConsentEvent, type ExportedConversation, type ExportedMessage, type ExportedSurveyResponse, type ExportedVisitor,
  type SelectorKind, type SurveyResponse, type VisitorExport,
} from '@parley/sdk/contract'
import type { MessageRecord, Store, VisitorConversationRecord, VisitorDataRecord } from '../store/store.js'

// One walk over everything stored about a visitor, in the export document's order, a page at a
// time: the header (with the visitor records and the verified customer), the consent events, then
// each conversation's header, its messages page by page, and its survey answers. Every rendering
// (JSON, HTML, text) consumes the same walk, so none of them holds more than one page: a visitor
// with 10,000 messages costs the memory of 500 of them. The walk reads the next page only when the
// renderer asks for it, so a slow reader slows the store reads instead of filling memory.

/** The store reads an export makes. */
export type ExportStore = Pick<Store, 'getVisitor' | 'getCustomerByVisitor' | 'listConsentEvents' | 'listVisitorConversations' | 'readMessages' | 'listSurveyResponses' | 'getAgent'>

/** The document's head: everything before the consent events. */
export type ExportHead = Omit<VisitorExport, 'consentEvents' | 'conversations'>

/** A conversation's header: everything before its messages. */
export type ExportedConversationHead = Omit<ExportedConversation, 'messages' | 'surveyResponses'>

/** One step of the walk, in document order. A conversation is `conversation`, any `messages`, then `responses`. */
export type ExportPart =
  | { kind: 'head'; head: ExportHead }
  | { kind: 'consent'; events: ConsentEvent[] }
  | { kind: 'conversation'; conversation: ExportedConversationHead }
  | { kind: 'messages'; messages: ExportedMessage[] }
  | { kind: 'responses'; responses: ExportedSurveyResponse[] }

/** Page sizes of the walk's reads. */
export interface ExportPages {
  conversations: number
  messages: number
}

/** What the export route reads per store call: small enough to keep memory flat, large enough for few round trips. */
export const EXPORT_PAGES: ExportPages = { conversations: 100, messages: 500 }

/** Whose data, for whom, and when. */
export interface ExportSubject {
  brandId: string
  selector: SelectorKind
  /** The resolved visitor ids (sorted, at least one). */
  visitorIds: readonly string[]
  exportedAt: number
}

/** The walk over `subject`'s data, in document order (see ExportPart). */
export async function* walkVisitorExport(store: ExportStore, subject: ExportSubject, pages: ExportPages = EXPORT_PAGES): AsyncGenerator<ExportPart> {
  const { brandId, visitorIds } = subject
  yield { kind: 'head', head: await readHead(store, subject) }
  yield { kind: 'consent', events: await store.listConsentEvents(brandId, visitorIds) }
  const names = agentNames(store, brandId)
  let after: { createdAt: number; convId: string } | null = null
  for (;;) {
    const convs = await store.listVisitorConversations(brandId, visitorIds, after, pages.conversations)
    for (const conv of convs) {
      yield { kind: 'conversation', conversation: conversationHead(conv) }
      for (let afterSeq = 0; ;) {
        const rows = await store.readMessages(brandId, conv.convId, afterSeq, pages.messages)
        if (rows.length > 0) yield { kind: 'messages', messages: await Promise.all(rows.map((m) => exportedMessage(m, conv, names))) }
        if (rows.length < pages.messages) break
        afterSeq = rows[rows.length - 1]!.seq
      }
      yield { kind: 'responses', responses: (await store.listSurveyResponses(brandId, conv.convId)).map(exportedResponse) }
    }
    if (convs.length < pages.conversations) return
    const last = convs[convs.length - 1]!
    after = { createdAt: last.createdAt, convId: last.convId }
  }
}

async function readHead(store: ExportStore, { brandId, selector, visitorIds, exportedAt }: ExportSubject): Promise<ExportHead> {
  const visitors: ExportedVisitor[] = []
  let customer: ExportHead['customer'] = null
  for (const visitorId of visitorIds) {
    const v = await store.getVisitor(brandId, visitorId)
    if (v) visitors.push(exportedVisitor(v))
    // The document names one customer: a customer stands for one visitor, so only an e-mail that
    // several customers gave can find more, and the first (by visitor id) is named.
    if (customer === null) {
      const c = await store.getCustomerByVisitor(brandId, visitorId)
      if (c) customer = { customerId: c.customerId, name: c.name, email: c.email }
    }
  }
  return { format: EXPORT_DOCUMENT_FORMAT, version: EXPORT_DOCUMENT_VERSION, brandId, exportedAt, selector, customer, visitors }
}

function exportedVisitor(v: VisitorDataRecord): ExportedVisitor {
  return {
    visitorId: v.visitorId, createdAt: v.createdAt, lastSeenAt: v.lastSeenAt,
    // A visitor who withdrew consent is not counted: a count kept from before says nothing true.
    ...(v.consent === 'denied' ? {} : { visitCount: v.visitCount }),
    context: v.context, consent: v.consent,
  }
}

function conversationHead(c: VisitorConversationRecord): ExportedConversationHead {
  return {
    convId: c.convId, visitorId: c.visitorId, status: c.status, origin: c.origin, createdAt: c.createdAt, closedAt: c.closedAt,
    contact: c.contact, context: c.context, routing: c.routing, erasedAt: c.erasedAt,
  }
}

/** Agents' names by id, each read once per export (a brand has few agents; a transcript names them often). */
function agentNames(store: ExportStore, brandId: string): (agentId: string) => Promise<string | null> {
  const known = new Map<string, Promise<string | null>>()
  return (agentId) => {
    let name = known.get(agentId)
    if (!name) {
      name = store.getAgent(brandId, agentId).then((a) => a?.name ?? null)
      known.set(agentId, name)
    }
    return name
  }
}

async function exportedMessage(m: MessageRecord, conv: VisitorConversationRecord, names: (agentId: string) => Promise<string | null>): Promise<ExportedMessage> {
  // The visitor's name is what they gave (the contact); an agent's, their account's name.
  const name = m.from.name ?? (m.from.kind === 'agent' ? await names(m.from.id) : conv.contact?.name || null)
  const out: ExportedMessage = { seq: m.seq, from: m.from.kind, ...(name ? { name } : {}), text: m.text, at: m.at }
  if (m.attachments && m.attachments.length > 0) out.attachments = m.attachments.map((a) => ({ name: a.name, type: a.type, size: a.size }))
  return out
}

function exportedResponse(r: SurveyResponse): ExportedSurveyResponse {
  return {
    surveyId: r.surveyId, kind: r.kind, at: r.at, answers: r.answers,
    ...(r.labels ? { labels: r.labels } : {}), ...(r.consents ? { consents: r.consents } : {}),
  }
}
