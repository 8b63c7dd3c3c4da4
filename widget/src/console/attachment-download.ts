import { ApiError } from './api.js'

// A file of a transcript over REST with the agent's token (the live chats use the connection's
// download instead): the relay serves files only to a holder of a token, never by plain URL.

/** GET /v1/attachments/:id (or its thumbnail) as a Blob; throws ApiError. */
export async function downloadAttachment(token: string, attachmentId: string, part: 'file' | 'thumbnail'): Promise<Blob> {
  const path = `/v1/attachments/${encodeURIComponent(attachmentId)}${part === 'thumbnail' ? '/thumbnail' : ''}`
  const res = await fetch(path, { headers: { authorization: `Bearer ${token}` }, credentials: 'omit' }).catch(() => null)
  if (!res) throw new ApiError(0, { code: 'PARLEY_ERR_CONNECTION_LOST', message: 'The relay could not be reached' })
  if (!res.ok) throw new ApiError(res.status, await res.json().catch(() => ({})))
  return res.blob()
}
