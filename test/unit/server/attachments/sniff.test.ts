import { describe, expect, it } from 'vitest'
import { imageSize, sniffType, SNIFF_BYTES } from '../../../../server/src/attachments/sniff.js'
import { cleanFileName } from '../../../../server/src/attachments/file-name.js'
import { createMasker } from '../../../../sdk/src/masking/masking.js'
import { GIF, HTML, PDF, pngOf } from '../../../helpers/attachment-files.js'

// What an upload's first bytes are taken for, the sizes read from image headers, and file names.

/** A baseline JPEG's first segments: SOI, an APP0, then SOF0 with height 480 and width 640. */
const JPEG = Buffer.from([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, ...Buffer.from('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0,
  0xff, 0xc0, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1,
])

function webp(kind: 'VP8X' | 'VP8L', w: number, h: number): Buffer {
  const b = Buffer.alloc(30)
  b.write('RIFF', 0, 'latin1')
  b.write('WEBP', 8, 'latin1')
  b.write(kind, 12, 'latin1')
  if (kind === 'VP8X') { b.writeUIntLE(w - 1, 24, 3); b.writeUIntLE(h - 1, 27, 3) } else { b[20] = 0x2f; b.writeUInt32LE(((h - 1) << 14) | (w - 1), 21) }
  return b
}

describe('sniffType and imageSize', () => {
  it('knows PNG, JPEG, GIF, WebP and PDF by their magic bytes, and reads image sizes', () => {
    expect(sniffType(pngOf(7, 9))).toBe('image/png')
    expect(imageSize('image/png', pngOf(7, 9))).toEqual({ width: 7, height: 9 })
    expect(sniffType(JPEG)).toBe('image/jpeg')
    expect(imageSize('image/jpeg', JPEG)).toEqual({ width: 640, height: 480 })
    expect(sniffType(GIF)).toBe('image/gif')
    expect(imageSize('image/gif', GIF)).toEqual({ width: 3, height: 2 })
    expect(sniffType(webp('VP8X', 1000, 700))).toBe('image/webp')
    expect(imageSize('image/webp', webp('VP8X', 1000, 700))).toEqual({ width: 1000, height: 700 })
    expect(imageSize('image/webp', webp('VP8L', 321, 17))).toEqual({ width: 321, height: 17 })
    expect(sniffType(PDF)).toBe('application/pdf')
    expect(imageSize('application/pdf', PDF)).toBeNull()
  })

  it('takes SVG only as UTF-8 XML text with an <svg element, and HTML as nothing', () => {
    expect(sniffType(Buffer.from('\uFEFF  <?xml version="1.0"?><!-- x --><svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml')
    expect(sniffType(Buffer.from('<svg width="1"></svg>'))).toBe('image/svg+xml')
    expect(sniffType(HTML)).toBeNull()
    expect(sniffType(Buffer.from('<html><svg></svg></html>'))).toBeNull()
    expect(sniffType(Buffer.from([0x3c, 0x73, 0x76, 0x67, 0x20, 0xff, 0xfe]))).toBeNull()
    // A multi-byte character cut at the end of the sniffed bytes is not an encoding error.
    const long = Buffer.concat([Buffer.from('<svg>'), Buffer.alloc(SNIFF_BYTES - 6, 0x20), Buffer.from('é').subarray(0, 1)])
    expect(long.length).toBe(SNIFF_BYTES)
    expect(sniffType(long)).toBe('image/svg+xml')
    expect(sniffType(Buffer.alloc(0))).toBeNull()
  })
})

describe('cleanFileName', () => {
  const masker = createMasker({})
  it('decodes, drops paths and control characters, and masks a card number', () => {
    expect(cleanFileName(encodeURIComponent('Reçu n°1.pdf'), masker, 'application/pdf')).toBe('Reçu n°1.pdf')
    expect(cleanFileName(encodeURIComponent('C:\\Users\\me\\..\\photo\u0007.png'), masker, 'image/png')).toBe('photo.png')
    expect(cleanFileName(encodeURIComponent('card 4111 1111 1111 1111.png'), masker, 'image/png')).toBe('card [card].png')
  })
  it('refuses a missing, undecodable or empty name', () => {
    for (const bad of [undefined, '', '%E0%A4%A', encodeURIComponent('dir/'), encodeURIComponent('..')]) {
      expect(() => cleanFileName(bad, masker, 'image/png'), String(bad)).toThrow(/x-parley-file-name/)
    }
  })
  it('keeps at most 255 characters', () => {
    expect(cleanFileName(encodeURIComponent('a'.repeat(300)), masker, 'image/png')).toBe(`${'a'.repeat(251)}.png`)
  })
})
