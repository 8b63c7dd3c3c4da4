import type { MessageRecord } from '../store/store.js'

// Every message is answered with an ack, so its JSON is joined from its parts rather than built as an
// object and serialised (cheaper, and no object per message). Each string still goes through
// JSON.stringify, so the result is what JSON.stringify of the object gives, byte for byte.

/** The message.ack frame of a stored message, serialised; `text` when what was stored differs from what was sent. */
export function ackJson(m: MessageRecord, text: string | undefined): string {
  let json = `{"type":"message.ack","convId":${JSON.stringify(m.convId)},"clientMsgId":${JSON.stringify(m.clientMsgId)},"seq":${m.seq},"at":${m.at}`
  if (text !== undefined) json += `,"text":${JSON.stringify(text)}`
  if (m.attachments) json += `,"attachments":${JSON.stringify(m.attachments)}`
  return json + '}'
}
