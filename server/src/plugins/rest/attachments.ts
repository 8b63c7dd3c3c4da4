import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { Readable } from 'node:stream'
import {
  ATTACHMENT_NAME_HEADER, Attachment, AttachmentParams, DEFAULT_ATTACHMENT_MAX_BYTES, DEFAULT_ATTACHMENT_TYPES,
  MAX_THUMBNAIL_BYTES, type AttachmentType,
} from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { AttachmentRecord } from '../../store/store.js'
import type { BrandMaskers } from '../../masking/brand-maskers.js'
import type { Principal } from '../auth.js'
import { httpError } from '../../errors.js'
import { recordTranscriptRead } from '../../audit/transcript-audit.js'
import { retryAfter } from './rate-limits.js'
import { blobKeys, thumbnailType } from '../../attachments/blob-store.js'
import { guardedUpload, THUMBNAIL_TYPES } from '../../attachments/upload-guard.js'
import { cleanFileName, nameForType } from '../../attachments/file-name.js'
import { downloadNeedsConversation, mayDownloadAttachment, thumbnailRefusal } from '../../policy/attachment-policy.js'
import { toAttachmentRef, uploaderOf } from '../../attachments/attachment-ref.js'
import { startAttachmentSweep } from '../../attachments/unsent-sweep.js'
import { accessibleConversation } from './conversation-access.js'
import { requirePrincipalFor } from './principal-for-action.js'
import { seesEveryConversation } from '../../auth/policy.js'

// /v1/attachments: files sent in chats. The body of an upload is the file itself (its type in
// Content-Type, its name percent-encoded in x-parley-file-name), streamed through the checks
// (allow-list, size, content sniffed against the declared type) into the BlobStore under a key the
// relay makes; nothing is kept of a refused upload. Downloads are served so nothing in them can
// run: as attachments, sandboxed by CSP, never sniffed. Another brand's or visitor's file is not found.

/** Uploads a minute per uploader (files are large; the per-IP REST limit also applies). */
export const UPLOADS_PER_MINUTE = 30

const download = {
  'content-security-policy': "default-src 'none'; sandbox",
  'x-content-type-options': 'nosniff',
  // The widget and console fetch files with CORS (their token in Authorization), which CORP does
  // not block; it only keeps other sites from embedding the URL (<img src>, no-cors fetch).
  'cross-origin-resource-policy': 'same-site',
  'cache-control': 'private, max-age=3600',
} as const

/** The Attachment a record is on the wire. */
export function toWireAttachment(r: AttachmentRecord): Attachment {
  const a: Attachment = { ...toAttachmentRef(r), createdAt: r.createdAt }
  if (r.convId !== null) a.convId = r.convId
  return a
}

/** RFC 6266/5987: the file name as `filename*=UTF-8''…` with an ASCII fallback. */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}

/** /v1/attachments: files sent in chats. */
export const attachmentRoutes: FastifyPluginAsync<{ deps: Deps; maskers: BrandMaskers }> = async (app, { deps, maskers }) => {
  const { store } = deps
  // The body is the file: every type reaches the handler as a stream (refused there with a typed
  // error when not allowed), never buffered by a parser. Scoped to this plugin.
  const bodies = new WeakMap<FastifyRequest, Readable>()
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', (req, payload, done) => {
    bodies.set(req, payload)
    // What the idempotency fingerprint sees of the request (the bytes are not read yet).
    done(null, { type: req.headers['content-type'] ?? null, name: req.headers[ATTACHMENT_NAME_HEADER] ?? null, length: req.headers['content-length'] ?? null })
  })

  const uploaders = app.requirePrincipal('visitor', 'agent')
  const readers = requirePrincipalFor(app, 'conversation.read', 'brand', 'agent', 'visitor')
  const perUploader = app.createRateLimit({ max: UPLOADS_PER_MINUTE, timeWindow: 60_000, keyGenerator: (req) => `upload\n${req.principal!.brandId}\n${uploaderOf(participant(req.principal!))}` })
  const uploadLimit = async (req: FastifyRequest, reply: FastifyReply) => {
    const r = await perUploader(req)
    if (!r.isAllowed && r.isExceeded) throw retryAfter(reply, UPLOADS_PER_MINUTE / 60, r.ttl)
  }

  const blobs = () => {
    if (!deps.blobs) throw httpError('PARLEY_ERR_ATTACHMENT_STORE')
    return deps.blobs
  }
  const bodyOf = (req: FastifyRequest): Readable => {
    const body = bodies.get(req)
    if (!body) throw httpError('PARLEY_ERR_ATTACHMENT_TYPE', 'none', '')
    return body
  }
  const declaredType = (req: FastifyRequest) => (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()

  async function put(req: FastifyRequest, key: string, type: AttachmentType, maxBytes: number, mustBe: AttachmentType) {
    const guard = guardedUpload(bodyOf(req), { maxBytes, type: mustBe })
    try {
      await blobs().put(key, guard.stream, type)
    } catch (err) {
      const refusal = guard.refusal()
      if (refusal) throw refusal
      if (req.raw.destroyed || req.raw.readableAborted) throw httpError('PARLEY_ERR_REQUEST_INVALID', 'the upload was cut off')
      req.log.error({ err, brandId: req.principal?.brandId }, 'blob store write failed')
      throw httpError('PARLEY_ERR_ATTACHMENT_STORE')
    }
    return guard.head()
  }

  app.post<{ Body: unknown }>('/v1/attachments', {
    schema: {
      summary: 'Upload a file to send in a chat (the body is the file; its name in x-parley-file-name)',
      response: { 201: Attachment },
    },
    preHandler: [uploaders, uploadLimit],
  }, async (req, reply) => {
    const p = req.principal!
    const settings = (await store.getWidgetConfig(p.brandId)).attachments ?? {}
    if (p.kind === 'visitor' && settings.visitors === false) throw httpError('PARLEY_ERR_ATTACHMENT_DISABLED')
    const allowed: readonly AttachmentType[] = settings.types ?? DEFAULT_ATTACHMENT_TYPES
    const maxBytes = settings.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES
    const declared = declaredType(req)
    if (!allowed.includes(declared as AttachmentType)) throw httpError('PARLEY_ERR_ATTACHMENT_TYPE', declared || 'none', allowed.join(', '))
    const type = declared as AttachmentType
    const length = Number(req.headers['content-length'])
    if (Number.isFinite(length) && length > maxBytes) throw httpError('PARLEY_ERR_ATTACHMENT_TOO_LARGE', length, maxBytes)
    const masker = await maskers.get(p.brandId)
    // The name ends in the declared type's extension; the record is kept only once the bytes are that type.
    const name = cleanFileName(req.headers[ATTACHMENT_NAME_HEADER], masker, type)

    const attachmentId = deps.ids.next('att_')
    const keys = blobKeys(p.brandId, attachmentId)
    const head = await put(req, keys.file, type, maxBytes, type)
    const rec: AttachmentRecord = {
      brandId: p.brandId, attachmentId, uploader: uploaderOf(participant(p)), name, type, size: head.size,
      width: head.width, height: head.height, blobKey: keys.file, thumbKey: null, createdAt: deps.clock.now(), convId: null, seq: null,
    }
    try {
      await store.createAttachment(rec)
    } catch (err) {
      await blobs().delete(keys.file).catch(() => {})
      throw err
    }
    req.log.info({ brandId: p.brandId, attachmentId, size: rec.size, type }, 'attachment uploaded')
    return reply.code(201).send(toWireAttachment(rec))
  })

  app.post<{ Params: AttachmentParams; Body: unknown }>('/v1/attachments/:attachmentId/thumbnail', {
    schema: {
      summary: "Upload an image's thumbnail (PNG, JPEG or WebP, at most 64 KiB and 320 px a side; the uploader only, before the image is sent)",
      params: AttachmentParams, response: { 201: Attachment },
    },
    preHandler: [uploaders, uploadLimit],
  }, async (req, reply) => {
    const p = req.principal!
    const rec = await store.getAttachment(p.brandId, req.params.attachmentId)
    const refusal = thumbnailRefusal(rec, participant(p))
    if (refusal === 'PARLEY_ERR_ATTACHMENT_TYPE') throw httpError(refusal, rec!.type, 'a thumbnail is for images only')
    if (refusal) throw httpError(refusal, req.params.attachmentId)
    const declared = declaredType(req)
    if (!(THUMBNAIL_TYPES as readonly string[]).includes(declared)) throw httpError('PARLEY_ERR_ATTACHMENT_TYPE', declared || 'none', THUMBNAIL_TYPES.join(', '))
    const type = declared as AttachmentType
    const length = Number(req.headers['content-length'])
    if (Number.isFinite(length) && length > MAX_THUMBNAIL_BYTES) throw httpError('PARLEY_ERR_ATTACHMENT_TOO_LARGE', length, MAX_THUMBNAIL_BYTES)
    const key = blobKeys(p.brandId, rec!.attachmentId).thumbnail(type, deps.ids.next('t'))
    const head = await put(req, key, type, MAX_THUMBNAIL_BYTES, type)
    if (head.width === null || head.height === null || !head.thumbnailSized) {
      await blobs().delete(key).catch(() => {})
      throw httpError('PARLEY_ERR_ATTACHMENT_CONTENT', `an image of at most 320 px a side (${type})`)
    }
    // Recorded only while still unsent: a message that took the file meanwhile keeps its preview.
    const set = await store.setAttachmentThumbnail(p.brandId, rec!.attachmentId, key, head.width, head.height)
    if (!set) {
      await blobs().delete(key).catch(() => {})
      throw httpError('PARLEY_ERR_ATTACHMENT_IN_USE', rec!.attachmentId)
    }
    // The replaced thumbnail is named by nothing now; a failed delete only costs its bytes.
    if (set.previous !== null && set.previous !== key) {
      await blobs().delete(set.previous).catch((err: unknown) => req.log.warn({ err, brandId: p.brandId }, 'replaced thumbnail not deleted'))
    }
    return reply.code(201).send(toWireAttachment({ ...rec!, thumbKey: key }))
  })

  async function mayDownload(p: Principal, rec: AttachmentRecord): Promise<boolean> {
    const conv = downloadNeedsConversation(rec, p) ? await store.getConversation(p.brandId, rec.convId!) : null
    return mayDownloadAttachment(rec, p, conv?.visitorId ?? null)
  }

  /**
   * A file sent in a conversation is part of it: a key or agent downloads it when the policy lets
   * them read that conversation (conversation.read with its facts). An unsent upload belongs to no
   * conversation yet: its uploader has it, and those who read every conversation of the brand; to an
   * agent of the plain role another's upload is not found, as it is to a visitor.
   */
  async function checkRead(req: FastifyRequest, p: Principal, rec: AttachmentRecord): Promise<void> {
    if (p.kind === 'visitor') return
    if (rec.convId !== null) {
      await accessibleConversation(app, store, req, rec.convId)
      return
    }
    const own = p.kind === 'agent' && rec.uploader === uploaderOf(participant(p))
    if (!own && !seesEveryConversation(p)) throw httpError('PARLEY_ERR_ATTACHMENT_NOT_FOUND', rec.attachmentId)
  }

  async function serve(req: FastifyRequest<{ Params: AttachmentParams }>, reply: FastifyReply, thumbnail: boolean) {
    const p = req.principal!
    // Keys and agents lacking the scope or role are refused before anything is read.
    if (p.kind !== 'visitor') await app.checkAccess(req, 'conversation.read')
    const rec = await store.getAttachment(p.brandId, req.params.attachmentId)
    if (!rec || !(await mayDownload(p, rec))) throw httpError('PARLEY_ERR_ATTACHMENT_NOT_FOUND', req.params.attachmentId)
    await checkRead(req, p, rec)
    const key = thumbnail ? rec.thumbKey : rec.blobKey
    if (key === null) throw httpError('PARLEY_ERR_ATTACHMENT_NOT_FOUND', `${req.params.attachmentId}/thumbnail`)
    // A file sent in a chat is part of its transcript (recorded before any byte is read); a
    // thumbnail is the console's preview of it.
    if (!thumbnail && rec.convId !== null) await recordTranscriptRead(app.audit, req, rec.convId, 'attachment')
    let body: Readable | null
    try {
      body = await blobs().get(key)
    } catch (err) {
      req.log.error({ err, brandId: p.brandId }, 'blob store read failed')
      throw httpError('PARLEY_ERR_ATTACHMENT_STORE')
    }
    if (!body) throw httpError('PARLEY_ERR_ATTACHMENT_NOT_FOUND', req.params.attachmentId)
    // A thumbnail's type is kept in its key (sniffed on upload). The saved name ends in the
    // extension of the type served (a record stored before names were cleaned included).
    const type = thumbnail ? thumbnailType(key) : rec.type
    void reply.headers(download)
      .header('content-disposition', contentDisposition(nameForType(thumbnail ? `thumbnail-${rec.name}` : rec.name, type)))
      .type(type)
    // No Content-Length (the size is in the ref): a client that has every byte it was promised may
    // go before the response has ended here, and a keep-alive connection whose response ended
    // after the relay began closing then held its shutdown for the keep-alive timeout. Chunked, the
    // client's last byte comes with the end.
    return reply.send(body)
  }

  app.get<{ Params: AttachmentParams }>('/v1/attachments/:attachmentId', {
    schema: {
      summary: 'Download a file sent in a chat (the uploader, the conversation\'s visitor, and whoever may read the conversation)',
      params: AttachmentParams, response: { 200: { description: 'The file, as an attachment', type: 'string', format: 'binary' } },
    },
    preHandler: readers,
  }, async (req, reply) => serve(req, reply, false))

  app.get<{ Params: AttachmentParams }>('/v1/attachments/:attachmentId/thumbnail', {
    schema: {
      summary: "Download an image's thumbnail",
      params: AttachmentParams, response: { 200: { description: 'The thumbnail image', type: 'string', format: 'binary' } },
    },
    preHandler: readers,
  }, async (req, reply) => serve(req, reply, true))

  if (deps.blobs) startAttachmentSweep(app, deps, deps.blobs)
}

/** The uploader as a participant (uploads are by visitors and agents only). */
function participant(p: Principal): { kind: 'agent' | 'visitor'; id: string } {
  return p.kind === 'agent' ? { kind: 'agent', id: p.agentId } : { kind: 'visitor', id: p.kind === 'visitor' ? p.visitorId : '' }
}
