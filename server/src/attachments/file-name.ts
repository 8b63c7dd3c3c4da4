import type { Masker } from '@parley/sdk/masking'
import { httpError } from '../errors.js'

// The file name of an upload, from x-parley-file-name (percent-encoded UTF-8): decoded, stripped
// of any path and of control characters, and masked with the brand's masker (a card number in a
// file name is hidden like one in a message) before it is stored, logged or sent anywhere.

const MAX_NAME = 255
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g

/** The name to store for `header`; refuses a missing or undecodable one. */
export function cleanFileName(header: string | string[] | undefined, masker: Masker): string {
  if (typeof header !== 'string' || header === '') throw httpError('PARLEY_ERR_REQUEST_INVALID', 'the file name is required in x-parley-file-name (percent-encoded UTF-8)')
  let name: string
  try {
    name = decodeURIComponent(header)
  } catch {
    throw httpError('PARLEY_ERR_REQUEST_INVALID', 'x-parley-file-name must be percent-encoded UTF-8')
  }
  name = name.replace(CONTROL, '').split(/[/\\]/).pop()!.trim()
  if (name === '' || name === '.' || name === '..') throw httpError('PARLEY_ERR_REQUEST_INVALID', 'x-parley-file-name names no file')
  if (name.length > 4 * MAX_NAME) throw httpError('PARLEY_ERR_REQUEST_INVALID', `x-parley-file-name is longer than ${MAX_NAME} characters`)
  let masked: string
  try {
    masked = masker.active ? masker.mask(name).text : name
  } catch {
    throw httpError('PARLEY_ERR_MESSAGE_REFUSED', 'its file name could not be checked for masked values')
  }
  // A replacement may be longer than what it hides; cut at a whole character.
  return Array.from(masked).slice(0, MAX_NAME).join('').slice(0, MAX_NAME).replace(/[\uD800-\uDBFF]$/, '')
}
