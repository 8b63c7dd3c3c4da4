import type { AttachmentRef, Participant } from '@parley/sdk/contract'
import type { AttachmentRecord, MessageRecord } from '../store.js'
import { toAttachmentRef } from '../../attachments/attachment-ref.js'

// Messages as PostgreSQL returns them, each with the files it carries, and their mapping to the
// Store's records. The files come in the same row (a correlated aggregate over the attachments of
// that message), so a page of messages or a batch's resent ones cost one round trip, not two.

/** What a message's attachment refs need of each attachment row, as the aggregate builds it. */
type FileJson = Pick<AttachmentRecord, 'attachmentId' | 'name' | 'type' | 'size' | 'width' | 'height' | 'thumbKey'>

/** A messages row with its files (null: none), as the queries below select it. */
export interface MessageRow {
  conv_id: string
  seq: number
  client_msg_id: string
  sender_kind: Participant['kind']
  sender_id: string
  sender_name: string | null
  text: string
  at: number
  files: FileJson[] | null
}

/**
 * The select list of a MessageRow from `messages m`: the files of the message in send order, found
 * through the attachments_by_message index.
 */
export const MESSAGE_COLUMNS = `m.conv_id, m.seq, m.client_msg_id, m.sender_kind, m.sender_id, m.sender_name, m.text, m.at,
  (SELECT jsonb_agg(jsonb_build_object('attachmentId', a.attachment_id, 'name', a.name, 'type', a.type, 'size', a.size,
      'width', a.width, 'height', a.height, 'thumbKey', a.thumb_key) ORDER BY a.position)
    FROM attachments a WHERE a.brand_id = m.brand_id AND a.conv_id = m.conv_id AND a.seq = m.seq) AS files`

/** The refs of a row's files; undefined when it carries none (MessageRecord leaves them out then). */
export function refsOf(files: FileJson[] | null): AttachmentRef[] | undefined {
  return files && files.length > 0 ? files.map(toAttachmentRef) : undefined
}

/** The record of a messages row of `brandId`. */
export function toMessageRecord(brandId: string, r: MessageRow): MessageRecord {
  const from: Participant = { kind: r.sender_kind, id: r.sender_id }
  if (r.sender_name !== null) from.name = r.sender_name
  const message: MessageRecord = { brandId, convId: r.conv_id, seq: r.seq, clientMsgId: r.client_msg_id, from, text: r.text, at: r.at }
  const refs = refsOf(r.files)
  if (refs) message.attachments = refs
  return message
}
