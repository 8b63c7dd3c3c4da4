// The numbers and names of attachments that the relay's schemas (attachments.ts), the connection
// client, the widget and the console share. No TypeBox here, so browser bundles import them
// without the schema library.

/** Types a brand may allow: images and PDF. SVG is an image that can hold script: allowed only if a brand lists it, and served like every file (downloaded, sandboxed). */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'image/svg+xml'] as const
/** Allowed when the brand says nothing. */
export const DEFAULT_ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const
/** Largest file when the brand says nothing (10 MiB), and the most a brand may allow (25 MiB). */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
/** A thumbnail the uploading client made (PNG, JPEG or WebP, at most 320 px a side). */
export const MAX_THUMBNAIL_BYTES = 64 * 1024
export const MAX_THUMBNAIL_SIDE = 320
/** The most attachments one message may carry. */
export const MAX_MESSAGE_ATTACHMENTS = 10

/** Header of POST /v1/attachments holding the file name, percent-encoded UTF-8. */
export const ATTACHMENT_NAME_HEADER = 'x-parley-file-name'
