import type { AttachmentParams } from '../../contract/attachments.js'
import type { Download, RequestOptions, Transport } from '../request.js'

// `parley.attachments`: files sent in the brand's chats, downloaded with the API key (to archive a
// transcript with its files, scan them, hand them to a ticket system). The refs come with the
// messages (`parley.conversations.messages`, `attachments` on each).

/** A downloaded file. */
export interface AttachmentFile {
  /** The file's bytes, exactly as uploaded. */
  bytes: Uint8Array
  /** Its type (image/png, application/pdf, ...). */
  type: string
  /** Its name as stored (masked like messages). */
  name: string
}

/** The name in a Content-Disposition header (`filename*=UTF-8''…` first). */
function fileNameOf(disposition: string | null): string {
  const star = disposition ? /filename\*=UTF-8''([^;]+)/i.exec(disposition) : null
  if (star) {
    try { return decodeURIComponent(star[1]!) } catch { /* fall through to the plain name */ }
  }
  const plain = disposition ? /filename="([^"]*)"/i.exec(disposition) : null
  return plain?.[1] ?? ''
}

/** `parley.attachments`: files sent in chats. */
export class AttachmentsResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** Downloads a file sent in one of the brand's chats (or its thumbnail): bytes, type and name. */
  async get(attachmentId: AttachmentParams['attachmentId'], opts?: RequestOptions & { thumbnail?: boolean }): Promise<AttachmentFile> {
    const path = `/v1/attachments/${encodeURIComponent(attachmentId)}${opts?.thumbnail ? '/thumbnail' : ''}`
    const d = await this.#t.request<Download>({ method: 'GET', path, binary: true }, opts)
    return { bytes: d.bytes, type: d.headers.get('content-type') ?? 'application/octet-stream', name: fileNameOf(d.headers.get('content-disposition')) }
  }
}
