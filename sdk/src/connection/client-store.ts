import type { MessageNew } from '../contract/frames.js'
import type { Cursors } from './cursors.js'
import { Outbox } from './outbox.js'
import type { KeyValueStorage } from './types.js'

// Every key the connection client keeps in the injected storage, under its prefix: `outbox:*`
// (outbox.ts), `seq:*` (the resume position of each conversation), `token` (the visitor's) and
// `held:*` (acked messages kept until the caller saved them: ConnectionOptions.holdAcked).
// Nothing else writes them: the widget and the console go through the client's methods.

/** What the client finds in storage when it starts. */
export interface StoredState {
  token: string | undefined
  /** createdAt of the newest outbox entry, so new entries sort after the stored ones. */
  lastCreated: number
}

/** The client's persistent state in one storage under one prefix. */
export class ClientStore {
  readonly outbox: Outbox
  readonly #storage: KeyValueStorage
  readonly #prefix: string
  readonly #restoreCursors: boolean

  constructor(storage: KeyValueStorage, prefix: string, restoreCursors: boolean) {
    this.#storage = storage
    this.#prefix = prefix
    this.#restoreCursors = restoreCursors
    this.outbox = new Outbox(storage, prefix)
  }

  /** Reads the token and the outbox's newest time, and loads (or, if not restored, deletes) the cursors. */
  async load(cursors: Cursors): Promise<StoredState> {
    const token = await this.#storage.get<string>(`${this.#prefix}token`)
    let lastCreated = 0
    for (const e of await this.outbox.list()) lastCreated = Math.max(lastCreated, e.createdAt)
    const seqPrefix = `${this.#prefix}seq:`
    for (const key of await this.#storage.keys(seqPrefix)) {
      if (!this.#restoreCursors) {
        await this.#storage.del(key)
        continue
      }
      const seq = await this.#storage.get<number>(key)
      if (typeof seq === 'number') cursors.restore(key.slice(seqPrefix.length), seq)
    }
    return { token, lastCreated }
  }

  /** Keeps the newest visitor token. */
  saveToken(token: string): Promise<void> {
    return this.#storage.set(`${this.#prefix}token`, token)
  }

  /** Forgets the visitor token (expired, or from another relay secret). */
  forgetToken(): Promise<void> {
    return this.#storage.del(`${this.#prefix}token`)
  }

  /**
   * Deletes everything this client keeps for the site (token, outbox, cursors, held messages): the
   * visitor logged out, and the browser must keep no copy of their visit.
   */
  async clear(): Promise<void> {
    await this.forgetToken()
    await this.outbox.clear()
    for (const area of ['seq:', 'held:']) {
      for (const key of await this.#storage.keys(this.#prefix + area)) await this.#storage.del(key)
    }
  }

  /** Persists the resume position of a conversation. */
  saveCursor(convId: string, seq: number): Promise<void> {
    return this.#storage.set(`${this.#prefix}seq:${convId}`, seq)
  }

  /** Keeps an acked message until release(). */
  hold(m: MessageNew): Promise<void> {
    return this.#storage.set(`${this.#prefix}held:${m.clientMsgId}`, m)
  }

  /** The held messages, oldest first. */
  async held(): Promise<MessageNew[]> {
    const keys = await this.#storage.keys(`${this.#prefix}held:`)
    const all = await Promise.all(keys.map((k) => this.#storage.get<MessageNew>(k)))
    return all.filter((m): m is MessageNew => m !== undefined).sort((a, b) => a.at - b.at || a.seq - b.seq)
  }

  /** Forgets a held message. */
  release(clientMsgId: string): Promise<void> {
    return this.#storage.del(`${this.#prefix}held:${clientMsgId}`)
  }

  /** Forgets every held message of a conversation whose content was erased (conversation.erased). */
  async dropHeld(convId: string): Promise<void> {
    for (const m of await this.held()) if (m.convId === convId) await this.release(m.clientMsgId)
  }

  /** Gives a held message the text the relay replaced it with (message.redacted). */
  async redactHeld(convId: string, seq: number, text: string): Promise<void> {
    for (const m of await this.held()) if (m.convId === convId && m.seq === seq) await this.hold({ ...m, text })
  }
}
