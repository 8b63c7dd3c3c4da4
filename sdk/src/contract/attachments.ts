import { Type, type Static } from '@sinclair/typebox'
import { Id, Timestamp } from './ids.js'
import { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_MESSAGE_ATTACHMENTS } from './attachment-limits.js'

// Files sent in a chat: uploaded over REST (POST /v1/attachments) to the relay's BlobStore, then
// referenced by id from a message.send. Served only as downloads with a CSP that lets nothing run.

const strict = { additionalProperties: false } as const

// The numbers live in attachment-limits.ts (no TypeBox, so browsers can import them); re-exported
// for the files that import them from here (frames.ts, the relay).
export { ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES, MAX_MESSAGE_ATTACHMENTS }

export const AttachmentType = Type.Union(ATTACHMENT_TYPES.map((t) => Type.Literal(t)))
export type AttachmentType = Static<typeof AttachmentType>

/** The brand's attachment settings (in its widget settings, so the widget knows before uploading). */
export const AttachmentSettings = Type.Object({
  /** Whether visitors may send files (agents always may, within the types). Default true. */
  visitors: Type.Optional(Type.Boolean()),
  types: Type.Optional(Type.Array(AttachmentType, { minItems: 1, maxItems: ATTACHMENT_TYPES.length, uniqueItems: true })),
  maxBytes: Type.Optional(Type.Integer({ minimum: 1024, maximum: MAX_ATTACHMENT_BYTES })),
}, strict)
export type AttachmentSettings = Static<typeof AttachmentSettings>

/** A file as messages carry it. `name` is masked like a message. */
export const AttachmentRef = Type.Object({
  attachmentId: Id,
  name: Type.String({ minLength: 1, maxLength: 255 }),
  type: AttachmentType,
  size: Type.Integer({ minimum: 1 }),
  /** Whether GET /v1/attachments/:id/thumbnail has a small image to show. */
  thumbnail: Type.Boolean(),
  width: Type.Optional(Type.Integer({ minimum: 1 })),
  height: Type.Optional(Type.Integer({ minimum: 1 })),
}, strict)
export type AttachmentRef = Static<typeof AttachmentRef>

/** The answer to POST /v1/attachments (and to its retries with the same Idempotency-Key). */
export const Attachment = Type.Object({
  ...AttachmentRef.properties,
  createdAt: Timestamp,
  /** The conversation it was sent in; absent until a message carries it. */
  convId: Type.Optional(Id),
}, strict)
export type Attachment = Static<typeof Attachment>

/** Path parameter holding an attachment id. */
export const AttachmentParams = Type.Object({ attachmentId: Id }, strict)
export type AttachmentParams = Static<typeof AttachmentParams>
