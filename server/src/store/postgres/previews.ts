import { messagePreview } from '@parley/sdk/contract'

// The start of a conversation's first message, as queue entries and listings show it: read in the
// same statement as the page of conversations (one round trip per page, not one per row).

/**
 * A LATERAL join adding `first_text` (the first message's text, null: no message yet) and
 * `first_files` (the names of the files it carries, in order; null: none) to a query over
 * `conversations c`.
 */
export const FIRST_MESSAGE_JOIN = `
  LEFT JOIN LATERAL (
    SELECT m.text AS first_text,
      (SELECT array_agg(a.name ORDER BY a.position) FROM attachments a
        WHERE a.brand_id = m.brand_id AND a.conv_id = m.conv_id AND a.seq = m.seq) AS first_files
    FROM messages m WHERE m.brand_id = c.brand_id AND m.conv_id = c.conv_id ORDER BY m.seq LIMIT 1
  ) first_message ON true`

/** The columns FIRST_MESSAGE_JOIN adds to a row. */
export interface FirstMessageColumns {
  first_text: string | null
  first_files: string[] | null
}

/** The preview of a row read with FIRST_MESSAGE_JOIN: its text, or the names of its files when it holds only files; '' with no message. */
export function previewOf(r: FirstMessageColumns): string {
  if (r.first_text === null) return ''
  return messagePreview(r.first_text, (r.first_files ?? []).map((name) => ({ name })))
}
