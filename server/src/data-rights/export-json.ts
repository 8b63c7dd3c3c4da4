import type { ExportPart } from './export-walk.js'

// The export document (VisitorExport) as JSON text, written as the walk goes: each part becomes one
// chunk, so the whole document is never held. Keys come in the schema's order (the walk builds each
// object in it), which lets a reader stream it back: the head, consent events, then each
// conversation whole, its messages before its survey answers.

/** `{...}` without its closing brace, to append more keys to: `object` must have at least one key. */
function open(object: object): string {
  return JSON.stringify(object).slice(0, -1)
}

/** The walk rendered as one JSON document, in chunks. */
export async function* renderExportJson(parts: AsyncIterable<ExportPart>): AsyncGenerator<string> {
  let conversations = 0
  let messages = 0
  for await (const part of parts) {
    switch (part.kind) {
      case 'head':
        yield open(part.head)
        break
      case 'consent':
        yield `,"consentEvents":${JSON.stringify(part.events)},"conversations":[`
        break
      case 'conversation':
        messages = 0
        yield `${conversations++ > 0 ? ',' : ''}${open(part.conversation)},"messages":[`
        break
      case 'messages':
        yield `${messages > 0 ? ',' : ''}${part.messages.map((m) => JSON.stringify(m)).join(',')}`
        messages += part.messages.length
        break
      case 'responses':
        yield `],"surveyResponses":${JSON.stringify(part.responses)}}`
        break
    }
  }
  yield ']}'
}
