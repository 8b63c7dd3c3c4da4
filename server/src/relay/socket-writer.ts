import type { WebSocket } from 'ws'
import { ERRORS, type ErrorCode } from '@parley/sdk/contract'
import { errorFrame } from '../errors.js'
import type { RelayContext } from './context.js'
import type { BatchedWriter } from './write-batch.js'
import { HeldFrames } from './held-frames.js'
import { encodeTextFrame, encodeTextFrames } from './text-frames.js'

// Writing to one connection's socket and closing it. A reader that cannot keep up is dropped with a
// typed error (PARLEY_ERR_LIMIT_SLOW_CONSUMER, close 4008) that must reach it: bytes handed to the
// socket cannot be reordered, so the socket is given at most SOCKET_BYTES and the rest waits here,
// where it can be dropped. The error and close frames then follow at most that much data, which a
// slow link delivers before the relay gives up on the close handshake. While the socket keeps up,
// frames go straight to it; during a group commit's batch (write-batch.ts) they wait in order here
// and leave together. The relay writes its frames itself (text-frames.ts); ws does the rest.

/**
 * The TCP (or TLS) socket under a WebSocket: the upgrade request's own socket, which ws writes its
 * control frames to and the relay its text frames. Its 'drain' says when it can take more.
 */
export interface FrameSocket extends NodeJS.EventEmitter {
  write(chunk: Uint8Array): boolean
  readonly writableHighWaterMark: number
}

/** What the socket itself may hold before frames wait in the session's own queue. */
const SOCKET_BYTES = 64 * 1024
/** How long a closing peer has to finish the close handshake before its socket is destroyed. */
const CLOSE_GRACE_MS = 2000
/**
 * The same for a dropped slow reader: its error and close frames wait behind what the relay holds
 * and what the kernel's send and receive buffers hold (megabytes on a fast path), which a slow link
 * takes seconds to deliver. Bounded, so a reader that stops for good is still let go.
 */
const SLOW_CONSUMER_GRACE_MS = 10_000

/** Sends serialised frames to one socket and closes it with a table code. */
export class SocketWriter implements BatchedWriter {
  readonly #ws: WebSocket
  /** The socket `#ws` reads from and the frames are written to. */
  readonly #socket: FrameSocket
  readonly #ctx: RelayContext
  /** Whose socket this is, read only to log (its brand is set by hello, after the writer is made). */
  readonly #owner: { readonly connId: string; readonly brandId: string }
  /** Bytes the socket may hold before frames wait in `#held`. */
  readonly #socketBytes: number
  /** Frames waiting for the socket to drain; made when the first must wait (most connections never). */
  #held: HeldFrames | null = null
  /** Frames of the running batch, in order; made on the first batch: an idle connection never has one. */
  #batch: { texts: (string | undefined)[]; sizes: number[]; count: number; bytes: number } | null = null
  #awaitingDrain = false
  #closing = false

  constructor(ws: WebSocket, socket: FrameSocket, ctx: RelayContext, owner: { readonly connId: string; readonly brandId: string }) {
    this.#ws = ws
    this.#socket = socket
    this.#ctx = ctx
    this.#owner = owner
    // Never below the socket's high-water mark: holding more than that is what makes it emit 'drain'.
    this.#socketBytes = Math.max(socket.writableHighWaterMark, Math.min(SOCKET_BYTES, ctx.limits.sendQueueBytes / 2))
  }

  /** Whether the socket has closed or is closing: nothing more is sent. */
  get isClosing(): boolean {
    return this.#closing
  }

  /** Whether the socket is open (hello answered only on an open socket). */
  get isOpen(): boolean {
    return !this.#closing && this.#ws.readyState === 1
  }

  /**
   * Whether more than half the send-queue bound is waiting: a long replay should wait (whenWritable).
   * A running batch's frames are not counted: they leave when it ends, in this turn, and no 'drain'
   * would come for them.
   */
  get isBackedUp(): boolean {
    return this.#ws.bufferedAmount + (this.#held?.bytes ?? 0) > this.#ctx.limits.sendQueueBytes / 2
  }

  /** Sends one frame's JSON; past the send-queue bound the connection is dropped as a slow consumer. */
  write(json: string): void {
    if (this.#closing || this.#ws.readyState !== 1) return
    const size = Buffer.byteLength(json)
    const batch = this.#batch
    const batched = batch === null ? 0 : batch.bytes
    const held = this.#held
    if ((held === null || held.isEmpty) && this.#ws.bufferedAmount + batched <= this.#socketBytes) {
      if ((batch !== null && batch.count > 0) || this.#ctx.writes.hold(this)) {
        const b = (this.#batch ??= { texts: [], sizes: [], count: 0, bytes: 0 })
        b.texts[b.count] = json
        b.sizes[b.count++] = size
        b.bytes += size
      } else {
        this.#socket.write(encodeTextFrame(json, size))
      }
      return
    }
    if (this.#ws.bufferedAmount + batched + (held?.bytes ?? 0) + size > this.#ctx.limits.sendQueueBytes) {
      this.#dropSlowConsumer()
      return
    }
    this.#held ??= new HeldFrames()
    this.#held.push(json, size)
    this.#awaitDrain()
  }

  /** Closes with the table's close code for `code`; nothing is sent after it. */
  close(code: ErrorCode, graceMs = CLOSE_GRACE_MS): void {
    this.#closeWith(ERRORS[code].close ?? 1008, code, graceMs)
  }

  /** Closes normally (1000) after what waits here: the client is told to reconnect, not that it did wrong. */
  end(reason: string, graceMs = CLOSE_GRACE_MS): void {
    this.#closeWith(1000, reason, graceMs)
  }

  /** Writes the running batch's frames in one buffer (WriteBatch calls it when the batch ends). */
  flushBatch(): void {
    const b = this.#batch
    if (b === null || b.count === 0) return
    let frames: Buffer | null = null
    try {
      // Once ws has started or answered a close, no data frame may follow it (RFC 6455, 5.5.1).
      if (!this.#closing && this.#ws.readyState === 1) frames = encodeTextFrames(b.texts, b.sizes, b.count)
    } finally {
      // Emptied even when encoding throws: a writer left holding frames would hold every later one.
      this.#dropBatch()
    }
    if (frames === null) return
    this.#socket.write(frames)
    // Frames held because the batch had filled the socket's share: a socket that took the batch at
    // once emits no 'drain', so they go now, as far as it takes them.
    if (this.#held && !this.#held.isEmpty) this.#release(this.#socketBytes)
  }

  /** Empties the batch; arrays a burst made long are let go, so the connection does not keep them. */
  #dropBatch(): void {
    const b = this.#batch
    if (b === null) return
    if (b.count > 64) {
      b.texts = []
      b.sizes = []
    } else {
      b.texts.fill(undefined, 0, b.count)
    }
    b.count = 0
    b.bytes = 0
  }

  #closeWith(status: number, reason: string, graceMs: number): void {
    // What waits here is within the bound and was meant to arrive before the close (a flood's error
    // frame, say); when the peer closed first, ws has answered with its close and it is dropped.
    this.flushBatch()
    this.#release(Infinity)
    this.#closing = true
    this.#ws.close(status, reason)
    // A reader that never drains its socket never completes the close handshake either.
    setTimeout(() => this.#ws.terminate(), graceMs).unref()
  }

  /** The socket closed: nothing more is sent. */
  closed(): void {
    this.#closing = true
    this.#held?.clear()
    this.#dropBatch()
  }

  /** Drops what waits here and sends the typed error and close: they follow at most what the socket holds. */
  #dropSlowConsumer(): void {
    const queued = this.#ws.bufferedAmount + (this.#held?.bytes ?? 0) + (this.#batch?.bytes ?? 0)
    this.#ctx.log.warn({ connId: this.#owner.connId, brandId: this.#owner.brandId, queued }, 'slow consumer dropped')
    this.#held?.clear()
    this.#dropBatch()
    this.#writeNow(JSON.stringify(errorFrame('PARLEY_ERR_LIMIT_SLOW_CONSUMER', [this.#ctx.limits.sendQueueBytes])))
    this.close('PARLEY_ERR_LIMIT_SLOW_CONSUMER', SLOW_CONSUMER_GRACE_MS)
  }

  /** Moves waiting frames to the socket until it holds `socketBytes`; waits for 'drain' if any are left. */
  #release(socketBytes: number): void {
    const held = this.#held
    if (held === null) return
    // No data frame after a close (RFC 6455, 5.5.1): ws sent or answered one, the rest is dropped.
    if (this.#ws.readyState !== 1) {
      held.clear()
      return
    }
    while (!held.isEmpty && this.#ws.bufferedAmount <= socketBytes) this.#writeNow(held.take()!)
    if (!held.isEmpty) this.#awaitDrain()
  }

  #writeNow(json: string): void {
    this.#socket.write(encodeTextFrame(json, Buffer.byteLength(json)))
  }

  #awaitDrain(): void {
    if (this.#awaitingDrain) return
    this.#awaitingDrain = true
    // The socket holds more than its share, so its last write returned false and 'drain' will come.
    this.#socket.once('drain', () => {
      this.#awaitingDrain = false
      if (!this.#closing && this.#ws.readyState === 1) this.#release(this.#socketBytes)
    })
  }

  /**
   * Resolves when the socket's send queue is below half its bound, so a long replay waits for a slow
   * reader instead of tripping the slow-consumer limit.
   */
  async whenWritable(): Promise<void> {
    const socket = this.#socket
    while (!this.#closing && this.#ws.readyState === 1 && this.isBackedUp) {
      await new Promise<void>((resolve) => {
        const done = () => { socket.off('drain', done); socket.off('close', done); resolve() }
        socket.once('drain', done)
        socket.once('close', done)
      })
    }
  }
}
