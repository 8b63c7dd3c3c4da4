import type { ClientFrame } from '../contract/frames.js'
import type { Outbox } from './outbox.js'
import type { ConnectionOptions, OutboxEntry } from './types.js'

// Sending the outbox: on every welcome the whole outbox is replayed oldest first (entries of other
// live tabs excepted), and an entry written meanwhile joins the replay instead of overtaking older
// entries (an opening goes before the first message to its conversation). Each entry is on the
// wire at most once per socket until its ack or error settles it.

/** What the sender needs from the connection. */
export interface SenderPort {
  /** Writes a frame to the open socket; false when there is none. */
  write(frame: ClientFrame): boolean
  isOpen(): boolean
  /** An entry went on the wire (the ack wait starts). */
  sent(): void
  /** An entry was settled; `stillWaiting` tells whether others are still on the wire. */
  settled(stillWaiting: boolean): void
  /** A replay failed (storage or lock error). */
  failed(err: unknown): void
  setTimeout(fn: () => void, ms: number): unknown
}

/** The outbox's way onto the socket. */
export class OutboxSender {
  readonly #outbox: Outbox
  readonly #owner: string
  readonly #opts: Pick<ConnectionOptions, 'isOwnerAlive' | 'withLock'>
  readonly #port: SenderPort
  readonly #inFlight = new Set<string>()
  /** An outbox replay is running; new sends join it instead of overtaking older entries. */
  #replaying = false
  #replayAgain = false

  constructor(outbox: Outbox, owner: string, opts: Pick<ConnectionOptions, 'isOwnerAlive' | 'withLock'>, port: SenderPort) {
    this.#outbox = outbox
    this.#owner = owner
    this.#opts = opts
    this.#port = port
  }

  /** A new entry is in the outbox: send it now, or let the running replay pick it up. */
  offer(entry: OutboxEntry): void {
    if (!this.#port.isOpen()) return
    if (this.#replaying) this.#replayAgain = true
    else this.#transmit(entry)
  }

  /** Sends every entry not on the wire yet, oldest first, holding the cross-tab lock if there is one. */
  async replay(): Promise<void> {
    const replay = async () => {
      do {
        this.#replayAgain = false
        for (const entry of await this.#outbox.list()) {
          if (!this.#port.isOpen()) return
          if (this.#inFlight.has(entry.clientMsgId)) continue
          if (entry.owner !== this.#owner) {
            if (await this.#opts.isOwnerAlive?.(entry.owner)) continue
            // Adopt the orphan so other tabs see a live owner and leave it to us.
            entry.owner = this.#owner
            await this.#outbox.add(entry)
          }
          this.#transmit(entry)
        }
      } while (this.#replayAgain)
    }
    this.#replaying = true
    let ok = false
    try {
      await (this.#opts.withLock ? this.#opts.withLock('outbox', replay) : replay())
      ok = true
    } catch (err) {
      this.#port.failed(err)
    } finally {
      this.#replaying = false
    }
    // An entry offered after the loop's last read but before the lock let go is in nobody's hands:
    // the loop no longer looks at #replayAgain. Go round once more so it reaches the wire now.
    const again = this.#replayAgain
    this.#replayAgain = false
    if (again && ok && this.#port.isOpen()) await this.replay()
  }

  /** The relay answered an entry (ack or error): it is no longer on the wire. */
  settle(clientMsgId: string): void {
    this.#inFlight.delete(clientMsgId)
    this.#port.settled(this.#inFlight.size > 0)
  }

  /** Sends an entry again after `ms` (rate limited, store busy), if the socket is still open then. */
  retryLater(entry: OutboxEntry, ms: number): void {
    // The same id goes again, so the relay stores it once.
    this.#port.setTimeout(() => { if (this.#port.isOpen()) this.#transmit(entry) }, ms)
  }

  /** The socket is gone: nothing is on the wire any more. */
  reset(): void {
    this.#inFlight.clear()
  }

  #transmit(entry: OutboxEntry): void {
    if (this.#inFlight.has(entry.clientMsgId)) return
    if (this.#port.write(frameOf(entry))) {
      this.#inFlight.add(entry.clientMsgId)
      this.#port.sent()
    }
  }
}

/** The frame an entry goes as; an entry without `kind` (or written by an older client) is a message. */
function frameOf({ convId, clientMsgId, kind, survey, text }: OutboxEntry): ClientFrame {
  if (kind === 'open') return { type: 'conversation.open', convId, clientMsgId, ...(survey ? { survey } : {}) }
  if (kind === 'answer' && survey) return { type: 'survey.answer', convId, clientMsgId, survey }
  return { type: 'message.send', convId, clientMsgId, text }
}
