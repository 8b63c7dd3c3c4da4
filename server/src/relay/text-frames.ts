// The relay's own server-to-client WebSocket text frames (RFC 6455, section 5.2). ws still does the
// handshake, reads every client frame, answers pings and closes; the relay writes its JSON frames to
// the socket itself so that all the frames one connection gets in a batch (a commit's acks and
// fan-out) leave as one buffer in one write, with none of the per-frame objects ws makes
// (test/bench/README.md). A server's frames are never masked, and the relay offers no extension
// (app.ts turns permessage-deflate off), so a frame is its header and the UTF-8 text.

/** Bytes of a final text frame's header for a payload of `size` bytes. */
function headerSize(size: number): number {
  return size < 126 ? 2 : size < 65_536 ? 4 : 10
}

/** Writes one final text frame of `text` (`size` UTF-8 bytes) into `buf` at `at`; returns where it ends. */
function writeTextFrame(buf: Buffer, at: number, text: string, size: number): number {
  // FIN and opcode 1 (text); the length in 7 bits, or 126 and 16 bits, or 127 and 64 bits.
  buf[at] = 0x81
  if (size < 126) {
    buf[at + 1] = size
    at += 2
  } else if (size < 65_536) {
    buf[at + 1] = 126
    buf.writeUInt16BE(size, at + 2)
    at += 4
  } else {
    buf[at + 1] = 127
    buf.writeUInt32BE(Math.floor(size / 2 ** 32), at + 2)
    buf.writeUInt32BE(size >>> 0, at + 6)
    at += 10
  }
  return at + buf.write(text, at)
}

/** `text` (`size` UTF-8 bytes) as one final, unmasked text frame. */
export function encodeTextFrame(text: string, size: number): Buffer {
  const buf = Buffer.allocUnsafe(headerSize(size) + size)
  writeTextFrame(buf, 0, text, size)
  return buf
}

/**
 * Encodes `count` frames from `texts` (JSON strings, with their UTF-8 byte lengths in `sizes`) as
 * final, unmasked text frames, one after the other in one buffer.
 */
export function encodeTextFrames(texts: readonly (string | undefined)[], sizes: readonly number[], count: number): Buffer {
  let total = 0
  for (let i = 0; i < count; i++) total += headerSize(sizes[i]!) + sizes[i]!
  const buf = Buffer.allocUnsafe(total)
  for (let i = 0, at = 0; i < count; i++) at = writeTextFrame(buf, at, texts[i]!, sizes[i]!)
  return buf
}
