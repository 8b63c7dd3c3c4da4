import type { MessageNew } from '@parley/sdk/contract'
import type { MessageRecord } from '../store/store.js'

/** The wire frame for a stored message. */
export function messageFrame(m: MessageRecord): MessageNew {
  const frame: MessageNew = { type: 'message.new', convId: m.convId, seq: m.seq, clientMsgId: m.clientMsgId, from: m.from, text: m.text, at: m.at }
  if (m.attachments) frame.attachments = m.attachments
  return frame
}
