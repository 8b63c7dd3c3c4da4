import { ATTACHMENT_NAME_HEADER } from '@parley/sdk/contract'
import type { TestRelay } from './start-relay.js'

/** What an upload or download answered over real HTTP. */
export interface HttpAnswer { status: number; body: any; headers: Headers; bytes: Buffer }

/** POST /v1/attachments (or a thumbnail) over HTTP with the file as the body. */
export async function upload(relay: Pick<TestRelay, 'url'>, token: string, file: Buffer | ReadableStream<Uint8Array>, opts: {
  type: string; name?: string; key?: string; thumbnailOf?: string; headers?: Record<string, string>
}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'content-type': opts.type, ...opts.headers }
  if (opts.name !== undefined) headers[ATTACHMENT_NAME_HEADER] = encodeURIComponent(opts.name)
  if (opts.key) headers['idempotency-key'] = opts.key
  const url = opts.thumbnailOf ? `${relay.url}/v1/attachments/${opts.thumbnailOf}/thumbnail` : `${relay.url}/v1/attachments`
  const res = await fetch(url, { method: 'POST', headers, body: file, ...(file instanceof Buffer ? {} : { duplex: 'half' }) } as RequestInit)
  return answer(res)
}

/** GET /v1/attachments/:id (or its thumbnail). */
export async function download(relay: Pick<TestRelay, 'url'>, token: string, id: string, opts: { thumbnail?: boolean; origin?: string } = {}): Promise<HttpAnswer> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (opts.origin) headers.origin = opts.origin
  return answer(await fetch(`${relay.url}/v1/attachments/${id}${opts.thumbnail ? '/thumbnail' : ''}`, { headers }))
}

async function answer(res: Response): Promise<HttpAnswer> {
  const bytes = Buffer.from(await res.arrayBuffer())
  let body: unknown
  try { body = JSON.parse(bytes.toString('utf8')) } catch { body = undefined }
  return { status: res.status, body, headers: res.headers, bytes }
}
