import type { WebSocket } from 'ws'
import { ERRORS, type ErrorCode } from '@parley/sdk/contract'
import { errorFrame } from '../errors.js'
import type { RelayContext } from './context.js'
import { rawSocket } from './write-batch.js'

// Writing to one connection's socket and closing it: the send-queue bound (a reader that cannot
// keep up is dropped with a typed error) and the close handshake that a stalled reader never ends.

/** Sends serialised frames to one socket and closes it with a table code. */
export class SocketWriter {
  readonly #ws: WebSocket
  readonly #ctx: RelayContext
  readonly #connId: string
  readonly #brandId: () => string
  #closing = false

  constructor(ws: WebSocket, ctx: RelayContext, connId: string, brandId: () => string) {
    this.#ws = ws
    this.#ctx = ctx
    this.#connId = connId
    this.#brandId = brandId
  }

  /** Whether the socket has closed or is closing: nothing more is sent. */
  get isClosing(): boolean {
    return this.#closing
  }

  /** Whether the socket is open (hello answered only on an open socket). */
  get isOpen(): boolean {
    return !this.#closing && this.#ws.readyState === 1
  }

  /** Whether more than half the send-queue bound is waiting: a long replay should wait (whenWritable). */
  get isBackedUp(): boolean {
    return this.#ws.bufferedAmount > this.#ctx.limits.sendQueueBytes / 2
  }

  /** Sends one frame's JSON; past the send-queue bound the connection is dropped as a slow consumer. */
  write(json: string): void {
    if (this.#closing || this.#ws.readyState !== 1) return
    this.#ctx.writes.willWrite(this.#ws)
    this.#ws.send(json)
    if (this.#ws.bufferedAmount > this.#ctx.limits.sendQueueBytes) {
      this.#ctx.log.warn({ connId: this.#connId, brandId: this.#brandId(), queued: this.#ws.bufferedAmount }, 'slow consumer dropped')
      // The queue is already over its bound: one small error frame more, then no more sends.
      this.#ws.send(JSON.stringify(errorFrame('PARLEY_ERR_LIMIT_SLOW_CONSUMER', [this.#ctx.limits.sendQueueBytes])))
      this.close('PARLEY_ERR_LIMIT_SLOW_CONSUMER')
    }
  }

  /** Closes with the table's close code for `code`; nothing is sent after it. */
  close(code: ErrorCode): void {
    this.#closing = true
    this.#ws.close(ERRORS[code].close ?? 1008, code)
    // A reader that never drains its socket never completes the close handshake either.
    setTimeout(() => this.#ws.terminate(), 2000).unref()
  }

  /** The socket closed: nothing more is sent. */
  closed(): void {
    this.#closing = true
  }

  /**
   * Resolves when the socket's send queue is below half its bound, so a long replay waits for a slow
   * reader instead of tripping the slow-consumer limit.
   */
  async whenWritable(): Promise<void> {
    const socket = rawSocket(this.#ws)
    while (!this.#closing && this.#ws.readyState === 1 && this.isBackedUp && socket) {
      await new Promise<void>((resolve) => {
        const done = () => { socket.off('drain', done); socket.off('close', done); resolve() }
        socket.once('drain', done)
        socket.once('close', done)
      })
    }
  }
}
