import type { ExportedMessage, ExportedSurveyResponse } from '@parley/sdk/contract'
import type { ExportHead, ExportedConversationHead, ExportPart } from './export-walk.js'
import { answerRows, dateText, fieldRows, selectorText, senderText, surveyKindText, titleText } from './export-wording.js'

// The export as plain text, for a person to read in any editor or to paste into a reply: the same
// walk and the same words as the HTML page, one line per value, messages indented under their sender.

function lines(pairs: [string, string][], indent = '  '): string {
  return pairs.map(([k, v]) => `${indent}${k}: ${v}\n`).join('')
}

function headText(head: ExportHead): string {
  const customer = head.customer ? `\nVerified customer\n${lines(fieldRows(head.customer))}` : ''
  const visitors = head.visitors.map((v) => `\nVisitor ${v.visitorId}\n${lines([
    ['first seen', dateText(v.createdAt)], ['last seen', dateText(v.lastSeenAt)],
    ...(v.visitCount !== undefined ? [['visits', String(v.visitCount)] as [string, string]] : []),
    ['consent to tracking', v.consent ?? 'never given or refused'],
    ...fieldRows(v.context),
  ])}`).join('')
  return `${titleText(head)}\n${selectorText(head.selector)}. Brand ${head.brandId}.\n${customer}${visitors}`
}

function conversationText(c: ExportedConversationHead): string {
  const erased = c.erasedAt !== null ? `  Erased on ${dateText(c.erasedAt)}: its content is gone.\n` : ''
  return `\n== Conversation ${c.convId}\n${erased}${lines([
    ['opened', dateText(c.createdAt)], ['status', c.status], ['through', c.origin === 'offline' ? 'offline form' : 'chat'],
    ...(c.closedAt !== null ? [['closed', dateText(c.closedAt)] as [string, string]] : []),
    ['visitor', c.visitorId], ...fieldRows(c.contact), ...fieldRows(c.routing), ...fieldRows(c.context),
  ])}\n`
}

function messageText(m: ExportedMessage): string {
  // Continuation lines are indented, so a message can't pass itself off as another sender's line.
  const body = m.text.split(/\r\n|\r|\n/).map((l) => `    ${l}`).join('\n')
  const files = m.attachments?.length ? `    [files: ${m.attachments.map((a) => `${a.name} (${a.type}, ${a.size} bytes)`).join(', ')}]\n` : ''
  return `  ${dateText(m.at)}  ${senderText(m)}\n${body}\n${files}`
}

function responseText(r: ExportedSurveyResponse): string {
  const consents = Object.values(r.consents ?? {}).map((text) => ['agreed to', text] as [string, string])
  return `\n  ${surveyKindText(r.kind)} (${r.surveyId}), ${dateText(r.at)}\n${lines([...answerRows(r), ...consents], '    ')}`
}

/** The walk rendered as plain text, in chunks. */
export async function* renderExportText(parts: AsyncIterable<ExportPart>): AsyncGenerator<string> {
  let any = false
  for await (const part of parts) {
    switch (part.kind) {
      case 'head':
        yield headText(part.head)
        break
      case 'consent':
        yield `\nConsent changes\n${part.events.length === 0 ? '  None recorded.\n'
          : part.events.map((e) => `  ${dateText(e.at)}: ${e.state} (${e.source}), visitor ${e.visitorId}\n`).join('')}\nConversations\n`
        break
      case 'conversation':
        any = true
        yield conversationText(part.conversation)
        break
      case 'messages':
        yield part.messages.map(messageText).join('')
        break
      case 'responses':
        yield part.responses.map(responseText).join('')
        break
    }
  }
  if (!any) yield '  None.\n'
}
