import type { KeyValueStorage, OutboxEntry } from './types.js'

// The outbox: every message is written here before it is sent and removed only when the relay
// acks it (or refuses it for good), so a reload, a crash or a closed tab loses nothing. Entries
// live in the injected storage, one key each under `PREFIXoutbox:`, so tabs sharing the storage
// share the outbox. There is deliberately no index key listing the ids: two tabs adding at once
// would each rewrite it and one id would be lost. Listing reads the key range instead, which with
// `entries` (IndexedDB's key ranges) costs what the outbox holds, not what the store holds.
// The key layout is a stored format: outboxes already sitting in browsers are read through these
// same keys, so changing them would strand the messages queued there.

/** The persistent outbox of one client. */
export class Outbox {
  readonly #storage: KeyValueStorage
  readonly #prefix: string

  constructor(storage: KeyValueStorage, prefix: string) {
    this.#storage = storage
    this.#prefix = `${prefix}outbox:`
  }

  /** Stores an entry; resolves once it is durable in the storage. */
  async add(entry: OutboxEntry): Promise<void> {
    await this.#storage.set(this.#prefix + entry.clientMsgId, entry)
  }

  /** Removes an entry (acked or refused). */
  async remove(clientMsgId: string): Promise<void> {
    await this.#storage.del(this.#prefix + clientMsgId)
  }

  /** One entry, if still waiting. */
  get(clientMsgId: string): Promise<OutboxEntry | undefined> {
    return this.#storage.get<OutboxEntry>(this.#prefix + clientMsgId)
  }

  /** Removes every entry: the visitor logged out, and what they had not sent must not go as anyone. */
  async clear(): Promise<void> {
    for (const key of await this.#storage.keys(this.#prefix)) await this.#storage.del(key)
  }

  /** Every waiting entry, oldest first (ties by id, so every tab sees the same order). */
  async list(): Promise<OutboxEntry[]> {
    const entries = (await this.#read()).filter((e): e is OutboxEntry => e !== undefined)
    return entries.sort((a, b) => a.createdAt - b.createdAt || (a.clientMsgId < b.clientMsgId ? -1 : a.clientMsgId > b.clientMsgId ? 1 : 0))
  }

  async #read(): Promise<(OutboxEntry | undefined)[]> {
    if (this.#storage.entries) return (await this.#storage.entries(this.#prefix)).map(([, v]) => v as OutboxEntry)
    const keys = await this.#storage.keys(this.#prefix)
    return Promise.all(keys.map((k) => this.#storage.get<OutboxEntry>(k)))
  }
}
