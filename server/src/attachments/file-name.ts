import type { Masker } from '@parley/sdk/masking'
import { stripInvisible } from '@parley/sdk/contract'
import { httpError } from '../errors.js'

// The file name of an upload, from x-parley-file-name (percent-encoded UTF-8): decoded, stripped
// of any path and of every invisible character (controls, and the bidi overrides and zero-width
// characters that make `invoice\u202Efdp.html` read as "invoicelmth.pdf"), and masked with the
// brand's masker (a card number in a file name is hidden like one in a message) before it is
// stored, logged or sent anywhere. Its extension is made the one of the type its bytes were checked
// to be, so the file a reader saves opens as what the relay verified, whatever the name claimed.

const MAX_NAME = 255

// The first is the one given to a name that has none of them.
const EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  'application/pdf': ['pdf'], 'image/png': ['png'], 'image/jpeg': ['jpg', 'jpeg'], 'image/gif': ['gif'], 'image/webp': ['webp'], 'image/svg+xml': ['svg'],
}
const KNOWN = new Set(Object.values(EXTENSIONS).flat())

/** The first `max` UTF-16 units of `s`, cut between whole characters. */
const cut = (s: string, max: number) => s.slice(0, max).replace(/[\uD800-\uDBFF]$/, '')

/**
 * `name` without invisible characters and ending in an extension of `type`: kept when it already
 * does, replaced when it is another attachment type's (`photo.png` as JPEG is `photo.jpg`), else
 * appended (`report.html` as PDF is `report.html.pdf`). At most MAX_NAME units, extension kept.
 * A type with no known extension leaves the name as it is (apart from the stripping).
 */
export function nameForType(name: string, type: string): string {
  const clean = stripInvisible(name).trim()
  const exts = EXTENSIONS[type]
  if (!exts) return cut(clean, MAX_NAME)
  const dot = clean.lastIndexOf('.')
  const ext = dot > 0 ? clean.slice(dot + 1).toLowerCase() : ''
  if (exts.includes(ext)) return clean.length <= MAX_NAME ? clean : `${cut(clean.slice(0, dot), MAX_NAME - ext.length - 1)}${clean.slice(dot)}`
  const base = KNOWN.has(ext) ? clean.slice(0, dot) : clean
  return `${cut(base, MAX_NAME - exts[0]!.length - 1)}.${exts[0]}`
}

/** The name to store for `header`, a file checked to be of `type`; refuses a missing or undecodable one. */
export function cleanFileName(header: string | string[] | undefined, masker: Masker, type: string): string {
  if (typeof header !== 'string' || header === '') throw httpError('PARLEY_ERR_REQUEST_INVALID', 'the file name is required in x-parley-file-name (percent-encoded UTF-8)')
  let name: string
  try {
    name = decodeURIComponent(header)
  } catch {
    throw httpError('PARLEY_ERR_REQUEST_INVALID', 'x-parley-file-name must be percent-encoded UTF-8')
  }
  name = stripInvisible(name).split(/[/\\]/).pop()!.trim()
  if (name === '' || name === '.' || name === '..') throw httpError('PARLEY_ERR_REQUEST_INVALID', 'x-parley-file-name names no file')
  if (name.length > 4 * MAX_NAME) throw httpError('PARLEY_ERR_REQUEST_INVALID', `x-parley-file-name is longer than ${MAX_NAME} characters`)
  let masked: string
  try {
    masked = masker.active ? masker.mask(name).text : name
  } catch {
    throw httpError('PARLEY_ERR_MESSAGE_REFUSED', 'its file name could not be checked for masked values')
  }
  // A replacement may be longer than what it hides; nameForType cuts at a whole character.
  return nameForType(masked, type)
}
