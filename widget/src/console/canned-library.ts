import type { CannedReply, CannedReplyInput, CannedReplyPatch } from '@parley/sdk/contract'
import { cannedReplies, createCannedReply, deleteCannedReply, updateCannedReply } from './api.js'

// The canned replies the signed-in agent sees (the brand's and their own), read once per sign-in
// and kept up to date by the management view's changes, so the composer's picker answers as the
// agent types without a request per key.

/** The agent's canned replies, with a listener per view. */
export class CannedLibrary {
  replies: CannedReply[] = []
  /** Set when the list could not be read (the picker stays closed; the management view says why). */
  failed = false
  readonly #token: string
  readonly #listeners = new Set<() => void>()
  #loading: Promise<void> | null = null
  #loadedAt = 0

  constructor(token: string) {
    this.#token = token
  }

  /** Calls `fn` on every change; returns the unsubscribe. */
  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn)
    return () => { this.#listeners.delete(fn) }
  }

  /**
   * Reads the list unless it was read less than `maxAgeMs` ago (0: read it again now). Colleagues'
   * changes to brand-wide replies show when the picker next opens after that.
   */
  load(maxAgeMs = Infinity): Promise<void> {
    if (this.#loading && Date.now() - this.#loadedAt < maxAgeMs) return this.#loading
    this.#loadedAt = Date.now()
    this.#loading = cannedReplies(this.#token).then((r) => { this.replies = r.replies; this.failed = false }, () => { this.failed = true }).then(() => this.#changed())
    return this.#loading
  }

  /** Saves a new reply; rejects with the relay's ApiError (a taken shortcut, the limit). */
  async create(body: CannedReplyInput): Promise<void> {
    this.#put(await createCannedReply(this.#token, body))
  }

  /** Changes a reply; rejects with the relay's ApiError. */
  async update(replyId: string, patch: CannedReplyPatch): Promise<void> {
    this.#put(await updateCannedReply(this.#token, replyId, patch))
  }

  /** Deletes a reply; rejects with the relay's ApiError. */
  async remove(replyId: string): Promise<void> {
    await deleteCannedReply(this.#token, replyId)
    this.replies = this.replies.filter((r) => r.replyId !== replyId)
    this.#changed()
  }

  #put(reply: CannedReply): void {
    this.replies = [...this.replies.filter((r) => r.replyId !== reply.replyId), reply].sort((a, b) => (a.shortcut < b.shortcut ? -1 : a.shortcut > b.shortcut ? 1 : 0))
    this.#changed()
  }

  #changed(): void {
    for (const fn of this.#listeners) fn()
  }
}
