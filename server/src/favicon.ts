// The relay's and the demo site's /favicon.ico: a 16×16 disc in the widget's default accent colour.
// Browsers ask for it on every page load, and a 404 there prints an error in every console.
// Built in code (an ICO holding one 32-bit bitmap) so no binary file has to ship beside the relay.

const SIZE = 16
/** #1f5fbf, the default accent colour (WIDGET_DEFAULTS.color), as BGRA. */
const ACCENT = [0xbf, 0x5f, 0x1f, 0xff] as const

function buildIcon(): Buffer {
  const pixels = Buffer.alloc(SIZE * SIZE * 4)
  const mask = Buffer.alloc(SIZE * 4) // 1 bit per pixel, rows padded to 4 bytes; alpha does the work
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const dx = x - 7.5
      const dy = y - 7.5
      if (dx * dx + dy * dy <= 7.5 * 7.5) pixels.set(ACCENT, (y * SIZE + x) * 4)
    }
  }
  const header = Buffer.alloc(40)
  header.writeUInt32LE(40, 0)
  header.writeInt32LE(SIZE, 4)
  header.writeInt32LE(SIZE * 2, 8) // ICO bitmaps count the AND mask in the height
  header.writeUInt16LE(1, 12)
  header.writeUInt16LE(32, 14)
  header.writeUInt32LE(pixels.length + mask.length, 20)
  const image = Buffer.concat([header, pixels, mask])
  const dir = Buffer.alloc(22)
  dir.writeUInt16LE(1, 2) // type: icon
  dir.writeUInt16LE(1, 4) // one image
  dir.writeUInt8(SIZE, 6)
  dir.writeUInt8(SIZE, 7)
  dir.writeUInt16LE(1, 10)
  dir.writeUInt16LE(32, 12)
  dir.writeUInt32LE(image.length, 14)
  dir.writeUInt32LE(22, 18)
  return Buffer.concat([dir, image])
}

/** The icon's bytes (image/x-icon). */
export const FAVICON: Buffer = buildIcon()

/** Headers to serve it with: it never changes between releases, so browsers may keep it a week. */
export const FAVICON_HEADERS = {
  'content-type': 'image/x-icon',
  'cache-control': 'public, max-age=604800',
  'x-content-type-options': 'nosniff',
} as const
