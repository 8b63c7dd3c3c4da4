import type { ConversationListed, ConversationSummary } from '../contract/frames.js'
import { ConnectionError } from './connection-error.js'
import type { ConnectionErrorInfo } from './types.js'

// An agent's welcome lists only the newest page of the open conversations they joined, and the
// relay follows (delivers live) only what it has listed to that connection. So after each welcome
// the client lists the rest, page by page, with conversation.list: every client then holds and
// follows all of them, not just the newest page. A visitor's connection gets every event of their
// conversations without listing them, so it does not page (the widget loads older ones on demand).

/** What the pager needs from the connection. */
export interface PagerPort {
  /** Sends conversation.list from `cursor` and resolves with the answer (rejects on a lost socket). */
  list(cursor: string): Promise<ConversationListed>
  /** A further page arrived. */
  listed(conversations: ConversationSummary[]): void
  /** Listing failed for another reason than the socket going away. */
  failed(info: ConnectionErrorInfo): void
}

/** Lists the pages after welcome, one at a time, for the current socket only. */
export class ConversationPager {
  readonly #port: PagerPort
  /** Bumped by every welcome and lost socket: a paging loop of an earlier socket stops. */
  #generation = 0

  constructor(port: PagerPort) {
    this.#port = port
  }

  /** A welcome arrived: lists from `next` (its conversationsNext) to the end, if there is more. */
  start(next: string | undefined): void {
    const generation = ++this.#generation
    if (next !== undefined) void this.#pageFrom(next, generation)
  }

  /** The socket is gone: the next welcome starts over from its own first page. */
  reset(): void {
    this.#generation++
  }

  async #pageFrom(cursor: string, generation: number): Promise<void> {
    let next: string | undefined = cursor
    while (next !== undefined) {
      let page: ConversationListed
      try {
        page = await this.#port.list(next)
      } catch (err) {
        if (generation === this.#generation && err instanceof ConnectionError && err.code !== 'PARLEY_ERR_CONNECTION_LOST') this.#port.failed(err)
        return
      }
      if (generation !== this.#generation) return
      this.#port.listed(page.conversations)
      next = page.next
    }
  }
}
