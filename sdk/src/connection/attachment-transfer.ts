import type { AttachmentRef } from '../contract/attachments.js'
import { ConnectionError, errorFromFrame, errorInfo } from './connection-error.js'
import { ATTACHMENT_NAME_HEADER } from '../contract/attachment-limits.js'
import type { BlobLike, ConnectionErrorInfo, FetchLike, OutboxFile } from './types.js'

// Files over REST: the upload of an outbox file (POST /v1/attachments, keyed by the file's
// Idempotency-Key so a retry after a lost answer gets the same attachment back), its thumbnail,
// and downloads with the connection's token. Failures come back as typed errors: the relay's
// error body, or PARLEY_ERR_CONNECTION_LOST when no answer came (always worth a retry).

/** Where the REST calls go and who makes them. */
export interface TransferTarget {
  fetch: FetchLike
  /** The relay's HTTP origin, e.g. `https://chat.example.com`. */
  base: string
  token: string
}

/** The HTTP origin of a `ws(s)://host/v1/live?...` URL: `http(s)://host`. */
export function httpOrigin(url: string): string {
  const m = /^(?:ws|http)(s?):\/\/([^/?#]+)/i.exec(url)
  return m ? `http${m[1]!.toLowerCase()}://${m[2]}` : url
}

/** The REST failure as error info: the relay's typed body, or a lost connection. */
async function failure(res: { status: number; json(): Promise<unknown> } | null, what: string): Promise<ConnectionErrorInfo> {
  if (!res) return errorInfo('PARLEY_ERR_CONNECTION_LOST', [what])
  const body = await res.json().catch(() => null) as { code?: unknown; message?: unknown; retryable?: unknown } | null
  if (body && typeof body.code === 'string' && typeof body.message === 'string') {
    return errorFromFrame({ code: body.code, message: body.message, retryable: body.retryable === true || res.status >= 500 || res.status === 429 })
  }
  return { ...errorInfo('PARLEY_ERR_SERVER_INTERNAL', [String(res.status)]), retryable: res.status >= 500 || res.status === 429 || res.status === 408 }
}

async function call(t: TransferTarget, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  try {
    return await t.fetch(t.base + path, { method, headers: { authorization: `Bearer ${t.token}`, ...headers }, ...(body !== undefined ? { body } : {}) })
  } catch {
    return null
  }
}

/** Uploads a file; resolves with what the relay stored, or the typed failure. */
export async function uploadFile(t: TransferTarget, file: OutboxFile): Promise<AttachmentRef | ConnectionErrorInfo> {
  const res = await call(t, 'POST', '/v1/attachments', {
    'content-type': file.type, 'idempotency-key': file.key, [ATTACHMENT_NAME_HEADER]: encodeURIComponent(file.name),
  }, file.data)
  if (!res?.ok) return failure(res, 'POST /v1/attachments')
  const a = await res.json().catch(() => null) as AttachmentRef | null
  if (!a || typeof a.attachmentId !== 'string') return failure(null, 'POST /v1/attachments')
  return {
    attachmentId: a.attachmentId, name: a.name, type: a.type, size: a.size, thumbnail: a.thumbnail,
    ...(a.width ? { width: a.width } : {}), ...(a.height ? { height: a.height } : {}),
  }
}

/** Uploads a stored file's thumbnail: true once stored, else the typed failure. */
export async function uploadThumbnail(t: TransferTarget, attachmentId: string, thumbnail: BlobLike): Promise<true | ConnectionErrorInfo> {
  const path = `/v1/attachments/${encodeURIComponent(attachmentId)}/thumbnail`
  const res = await call(t, 'POST', path, { 'content-type': thumbnail.type }, thumbnail)
  if (!res?.ok) return failure(res, `POST ${path}`)
  // Read to the end, so the connection is free for the next request (and a server can close it).
  await res.json().catch(() => null)
  return true
}

/** Downloads a file or its thumbnail; rejects with a ConnectionError. */
export async function downloadFile(t: TransferTarget, attachmentId: string, part: 'file' | 'thumbnail'): Promise<BlobLike> {
  const path = `/v1/attachments/${encodeURIComponent(attachmentId)}${part === 'thumbnail' ? '/thumbnail' : ''}`
  const res = await call(t, 'GET', path, {})
  if (!res?.ok) throw new ConnectionError(await failure(res, `GET ${path}`))
  return res.blob()
}
