import type { ExportedMessage, ExportedSurveyResponse } from '@parley/sdk/contract'
import type { ExportHead, ExportedConversationHead, ExportPart } from './export-walk.js'
import { answerRows, dateText, fieldRows, selectorText, senderText, surveyKindText, titleText } from './export-wording.js'

// The export as one self-contained page a person can open: no script, no outside resource, styles
// inline. Every stored value is text someone typed (a message may well be `<script>…`), so each is
// escaped where it is written, and the page's own policy forbids scripts should one slip through.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** `text` safe inside an element or a quoted attribute. */
function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!)
}

const STYLE = [
  'body{font:15px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1f}',
  'h1{font-size:1.5rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}section{margin:1.5rem 0;padding:1rem;border:1px solid #ddd;border-radius:6px}',
  'dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{color:#555}dd{margin:0;overflow-wrap:anywhere}',
  'ol{list-style:none;padding:0}li{margin:.6rem 0}.who{font-weight:600}time{color:#666;font-size:.85em;margin-left:.5rem}',
  '.text{white-space:pre-wrap;overflow-wrap:anywhere;margin:.1rem 0}.files{color:#555;font-size:.9em}.erased{color:#8a1c1c}',
].join('')

function rows(pairs: [string, string][]): string {
  return pairs.length === 0 ? '' : `<dl>${pairs.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>`
}

function headHtml(head: ExportHead): string {
  const title = esc(titleText(head))
  const customer = head.customer
    ? `<h2>Verified customer</h2>${rows(fieldRows(head.customer))}`
    : ''
  const visitors = head.visitors.map((v) => `<section><h3>Visitor ${esc(v.visitorId)}</h3>${rows([
    ['first seen', dateText(v.createdAt)], ['last seen', dateText(v.lastSeenAt)],
    ...(v.visitCount !== undefined ? [['visits', String(v.visitCount)] as [string, string]] : []),
    ['consent to tracking', v.consent ?? 'never given or refused'],
    ...fieldRows(v.context),
  ])}</section>`).join('')
  return '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    + `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`
    + `<meta name="viewport" content="width=device-width,initial-scale=1"><title>${title}</title><style>${STYLE}</style></head><body>`
    + `<h1>${title}</h1><p>${esc(selectorText(head.selector))}. Brand ${esc(head.brandId)}.</p>${customer}<h2>Visitors</h2>${visitors || '<p>No visitor record.</p>'}`
}

function conversationHtml(c: ExportedConversationHead): string {
  const erased = c.erasedAt !== null ? `<p class="erased">Erased on ${esc(dateText(c.erasedAt))}: its content is gone.</p>` : ''
  return `<section><h3>Conversation ${esc(c.convId)}</h3>${erased}${rows([
    ['opened', dateText(c.createdAt)], ['status', c.status], ['through', c.origin === 'offline' ? 'offline form' : 'chat'],
    ...(c.closedAt !== null ? [['closed', dateText(c.closedAt)] as [string, string]] : []),
    ['visitor', c.visitorId], ...fieldRows(c.contact), ...fieldRows(c.routing), ...fieldRows(c.context),
  ])}<ol>`
}

function messageHtml(m: ExportedMessage): string {
  const files = m.attachments?.length
    ? `<div class="files">Files: ${m.attachments.map((a) => esc(`${a.name} (${a.type}, ${a.size} bytes)`)).join(', ')}</div>`
    : ''
  return `<li><span class="who">${esc(senderText(m))}</span><time>${esc(dateText(m.at))}</time><p class="text">${esc(m.text)}</p>${files}</li>`
}

function responseHtml(r: ExportedSurveyResponse): string {
  const consents = Object.values(r.consents ?? {}).map((text) => ['agreed to', text] as [string, string])
  return `<h4>${esc(surveyKindText(r.kind))} (${esc(r.surveyId)}), ${esc(dateText(r.at))}</h4>${rows([...answerRows(r), ...consents])}`
}

/** The walk rendered as one HTML page, in chunks. */
export async function* renderExportHtml(parts: AsyncIterable<ExportPart>): AsyncGenerator<string> {
  let any = false
  for await (const part of parts) {
    switch (part.kind) {
      case 'head':
        yield headHtml(part.head)
        break
      case 'consent':
        yield `<h2>Consent changes</h2>${part.events.length === 0 ? '<p>None recorded.</p>'
          : `<ol>${part.events.map((e) => `<li>${esc(`${dateText(e.at)}: ${e.state} (${e.source}), visitor ${e.visitorId}`)}</li>`).join('')}</ol>`}<h2>Conversations</h2>`
        break
      case 'conversation':
        any = true
        yield conversationHtml(part.conversation)
        break
      case 'messages':
        yield part.messages.map(messageHtml).join('')
        break
      case 'responses':
        yield `</ol>${part.responses.map(responseHtml).join('')}</section>`
        break
    }
  }
  yield `${any ? '' : '<p>None.</p>'}</body></html>`
}
