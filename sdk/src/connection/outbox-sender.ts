import type { ClientFrame } from '../contract/frames.js'
import type { Outbox } from './outbox.js'
import { hasPendingUploads } from './outbox-uploads.js'
import type { ConnectionOptions, OutboxEntry } from './types.js'

// Sending the outbox: on every welcome the whole outbox is replayed oldest first (entries of other
// live tabs excepted), and an entry written meanwhile joins the replay instead of overtaking older
// entries (an opening goes before the first message to its conversation). Each entry is on the
// wire at most once per socket until its ack or error settles it. A message with files waits in
// the replay until its uploads are done, and everything behind it waits too, so order holds.

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
  /**
   * Uploads what is left of an entry's files: `refused` when the relay refused a file for good (the
   * port refuses the entry), or how many ms to wait before trying again when it failed for now.
   */
  prepare(entry: OutboxEntry): Promise<'ready' | 'refused' | number>
}

/** The outbox's way onto the socket. */
export class OutboxSender {
  readonly #outbox: Outbox
  readonly #owner: string
  readonly #opts: Pick<ConnectionOptions, 'isOwnerAlive' | 'withLock'>
  readonly #port: SenderPort
  readonly #inFlight = new Set<string>()
  /**
   * Openings on the wire by their clientMsgId, each with the messages of its conversation waiting
   * for its answer: a refused opening must not let the message behind it open the conversation the
   * old way, without the pre-chat answers.
   */
  readonly #opening = new Map<string, OutboxEntry[]>()
  /** An outbox replay is running; new sends join it instead of overtaking older entries. */
  #replaying = false
  #replayAgain = false
  /** An entry's uploads failed for now: later entries wait for the retry, which sends them after it. */
  #uploadWaiting = false
  #uploadRetryMs = 0

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
    else if (this.#uploadWaiting) return
    else if (hasPendingUploads(entry)) void this.replay()
    else this.#transmit(entry)
  }

  /** Sends every entry not on the wire yet, oldest first, holding the cross-tab lock if there is one. */
  async replay(): Promise<void> {
    // One replay at a time: a second would upload the same file twice at once.
    if (this.#replaying) {
      this.#replayAgain = true
      return
    }
    this.#uploadWaiting = false
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
          if (hasPendingUploads(entry)) {
            const prepared = await this.#port.prepare(entry)
            if (prepared === 'refused') continue
            if (typeof prepared === 'number') {
              this.#uploadWaiting = true
              this.#uploadRetryMs = prepared
              return
            }
            if (!this.#port.isOpen()) return
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
    const again = this.#replayAgain && !this.#uploadWaiting
    this.#replayAgain = false
    if (this.#uploadWaiting) {
      // Set once this replay is over, so the retry cannot find it still running and be dropped.
      this.#port.setTimeout(() => { if (this.#port.isOpen()) void this.replay() }, this.#uploadRetryMs)
      return
    }
    if (again && ok && this.#port.isOpen()) await this.replay()
  }

  /**
   * The relay answered an entry: stored (ack), refused for good, or to be retried. It is no longer
   * on the wire. An opening's held messages go once it is stored, and are dropped when it is
   * refused (the caller refuses them in the outbox); a retried opening keeps holding them.
   */
  settle(clientMsgId: string, outcome: 'stored' | 'refused' | 'retry' = 'stored'): void {
    this.#inFlight.delete(clientMsgId)
    const held = outcome === 'retry' ? undefined : this.#opening.get(clientMsgId)
    if (held) this.#opening.delete(clientMsgId)
    this.#port.settled(this.#inFlight.size > 0)
    if (outcome === 'stored') held?.slice(1).forEach((e) => this.#transmit(e))
  }

  /** Sends an entry again after `ms` (rate limited, store busy), if the socket is still open then. */
  retryLater(entry: OutboxEntry, ms: number): void {
    // The same id goes again, so the relay stores it once.
    this.#port.setTimeout(() => { if (this.#port.isOpen()) this.#transmit(entry) }, ms)
  }

  /** The socket is gone: nothing is on the wire any more. */
  reset(): void {
    this.#uploadWaiting = false
    this.#inFlight.clear()
    this.#opening.clear()
  }

  #transmit(entry: OutboxEntry): void {
    const { clientMsgId, convId, kind } = entry
    if (this.#inFlight.has(clientMsgId)) return
    // Each list starts with its opening, then the messages held behind it.
    for (const held of this.#opening.values()) {
      if (kind || held[0]!.convId !== convId) continue
      if (!held.some((e) => e.clientMsgId === clientMsgId)) held.push(entry)
      return
    }
    if (this.#port.write(frameOf(entry))) {
      this.#inFlight.add(clientMsgId)
      if (kind === 'open' && !this.#opening.has(clientMsgId)) this.#opening.set(clientMsgId, [entry])
      this.#port.sent()
    }
  }
}

/** The frame an entry goes as; an entry without `kind` (or written by an older client) is a message. */
function frameOf({ convId, clientMsgId, kind, survey, text, files }: OutboxEntry): ClientFrame {
  if (kind === 'open') return { type: 'conversation.open', convId, clientMsgId, ...(survey ? { survey } : {}) }
  if (kind === 'answer' && survey) return { type: 'survey.answer', convId, clientMsgId, survey }
  const attachments = files?.flatMap((f) => (f.ref ? [f.ref.attachmentId] : []))
  return { type: 'message.send', convId, clientMsgId, text, ...(attachments?.length ? { attachments } : {}) }
}
