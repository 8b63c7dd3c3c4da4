import type { AttachmentType } from '@parley/sdk/contract'

// What a file's first bytes say it is: the magic numbers of PNG, JPEG, GIF, WebP and PDF, and for
// SVG well-formed UTF-8 text that starts as XML and holds an <svg element. An upload whose bytes
// are not what its Content-Type says is refused: a browser that sniffs would otherwise run an HTML
// file declared as an image. Image sizes are read from the header where it is cheap.

/** How many leading bytes the checks look at. */
export const SNIFF_BYTES = 64 * 1024

const startsWith = (b: Buffer, sig: readonly number[], at = 0) => b.length >= at + sig.length && sig.every((x, i) => b[at + i] === x)
const ascii = (b: Buffer, s: string, at = 0) => b.length >= at + s.length && b.toString('latin1', at, at + s.length) === s

/** The type `head` (a file's first bytes, SNIFF_BYTES or the whole file if shorter) is, among the attachment types; null if none. */
export function sniffType(head: Buffer): AttachmentType | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (ascii(head, 'GIF87a') || ascii(head, 'GIF89a')) return 'image/gif'
  if (ascii(head, 'RIFF') && ascii(head, 'WEBP', 8)) return 'image/webp'
  if (ascii(head, '%PDF-')) return 'application/pdf'
  if (looksLikeSvg(head)) return 'image/svg+xml'
  return null
}

function looksLikeSvg(head: Buffer): boolean {
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head.length === SNIFF_BYTES ? trimPartialChar(head) : head)
  } catch {
    return false
  }
  const start = text.replace(/^\uFEFF/, '').trimStart()
  if (!/^<(\?xml|svg[\s>/]|!--|!DOCTYPE\s+svg)/i.test(start)) return false
  return /<svg[\s>/]/i.test(start)
}

/** `head` without a UTF-8 sequence cut at its end. */
function trimPartialChar(head: Buffer): Buffer {
  let i = head.length - 1
  let back = 0
  while (i >= 0 && back < 4 && (head[i]! & 0xc0) === 0x80) { i--; back++ }
  if (i < 0) return head
  const lead = head[i]!
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1
  return need > back + 1 ? head.subarray(0, i) : head
}

/** Width and height of an image from its first bytes, or null when the header does not say cheaply. */
export function imageSize(type: AttachmentType, b: Buffer): { width: number; height: number } | null {
  const ok = (width: number, height: number) => (width > 0 && height > 0 ? { width, height } : null)
  switch (type) {
    case 'image/png':
      return b.length >= 24 && ascii(b, 'IHDR', 12) ? ok(b.readUInt32BE(16), b.readUInt32BE(20)) : null
    case 'image/gif':
      return b.length >= 10 ? ok(b.readUInt16LE(6), b.readUInt16LE(8)) : null
    case 'image/webp':
      if (ascii(b, 'VP8X', 12) && b.length >= 30) return ok(1 + b.readUIntLE(24, 3), 1 + b.readUIntLE(27, 3))
      if (ascii(b, 'VP8 ', 12) && b.length >= 30) return ok(b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff)
      if (ascii(b, 'VP8L', 12) && b.length >= 25) {
        const bits = b.readUInt32LE(21)
        return ok((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1)
      }
      return null
    case 'image/jpeg':
      return jpegSize(b)
    default:
      return null
  }
}

function jpegSize(b: Buffer): { width: number; height: number } | null {
  let i = 2
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null
    const marker = b[i + 1]!
    if (marker === 0xff) { i++; continue }
    // Markers without a length.
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) { i += 2; continue }
    const len = b.readUInt16BE(i + 2)
    // Start of frame (baseline, progressive, ...), not DHT (C4), JPG (C8) or DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const height = b.readUInt16BE(i + 5)
      const width = b.readUInt16BE(i + 7)
      return width > 0 && height > 0 ? { width, height } : null
    }
    i += 2 + len
  }
  return null
}
