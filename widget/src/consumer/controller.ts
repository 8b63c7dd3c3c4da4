import { createVisitorConnection, linkStatus, type Connection, type KeyValueStorage, type NetworkSignal } from '@parley/sdk/connection'
import {
  isBlankText, type ConversationSummary, type MaskResult, type SurveySubmission, type MessageNew, type PublicSiteConfig, type RuleAction, type VisitorContext,
} from '@parley/sdk/contract'
import { createMasker, type Masker } from '@parley/sdk/masking'
import { plural } from '../i18n/plural.js'
import type { Strings } from '../i18n/strings.js'
import { nextEarlier, restBase, type Access } from './earlier-conversations.js'
import { FORGET, followOtherTabs, type TabChannel } from './other-tabs.js'
import { outgoingFiles } from '../ui/outgoing-files.js'
import { PageEvents } from './page-events.js'
import { forgetHistory, loadHistory, saveHistory } from './saved-history.js'
import { INITIAL, isReading, reduce, type Action, type WidgetState } from './state.js'
import { SurveyFlow } from './survey-flow.js'
import { VisitorIdentity } from './visitor-identity.js'

// The consumer widget's I/O adapter: it owns the connection and the page's title, turns the
// connection's events into state actions, and runs the page's `Parley(...)` commands. What the
// browser keeps between loads is saved-history.ts; earlier conversations come from earlier-conversations.ts;
// the visitor's other tabs are other-tabs.ts; surveys are survey-flow.ts.
// Views only read the state and call the methods below.

/** What the controller needs from the browser; boot.ts supplies the real ones. */
export interface ControllerDeps {
  config: PublicSiteConfig
  strings: Strings
  storage: KeyValueStorage
  /** The browser's online/offline hints, so a lost network shows at once. */
  network?: NetworkSignal
  /** wss://relay/v1/live?site=KEY */
  url: string
  WebSocket: new (url: string) => WebSocket
  context: () => VisitorContext
  /** This tab's id and cross-tab coordination (Web Locks), when the browser has them. */
  owner: string
  isOwnerAlive?: (owner: string) => Promise<boolean>
  withLock?: <T>(name: string, fn: () => Promise<T>) => Promise<T>
  /** The page title, to flag new messages while the page is hidden. */
  title: { get(): string; set(t: string): void }
  /** For the visitor's earlier conversations over REST (default: the browser's fetch). */
  fetch?: typeof fetch
  /**
   * The site's other tabs (a BroadcastChannel): a tab that opens a conversation says so at once,
   * so two tabs rarely open two. Only a shortcut: the relay's fan-out keeps the tabs right without it.
   */
  tabs?: TabChannel
  /** Another tab logged out: the page's whole forget runs here too (without telling the tabs again); default this.forget(false). */
  otherTabForgot?: () => void
  /** The visitor's message opened a new conversation (deployment rules count it as a chat). */
  onChatStarted?: () => void
  /** The deciding rule's action, whose `survey` names the pre-chat survey instead of the brand's. */
  ruleAction?: () => RuleAction | undefined
  /** The visitor's languages, preferred first (navigator.languages): surveys show in the first they give. */
  visitorLanguages?: readonly string[]
}

const TYPING_IDLE_MS = 3000

/** The widget's state machine with its side effects; the page's events (page-events.ts) come from it. */
export class Controller extends PageEvents {
  state: WidgetState = INITIAL
  readonly deps: ControllerDeps
  #conn: Connection | null = null
  #started = false
  #listeners = new Set<() => void>()
  #pageTitle: string | null = null
  #typingTimer: ReturnType<typeof setTimeout> | null = null
  #agentTypingTimer: ReturnType<typeof setTimeout> | null = null
  #saveTimer: ReturnType<typeof setTimeout> | null = null
  /** The visitor's token from the last welcome: it reads their own transcripts over REST. */
  #token: string | null = null
  #loadingEarlier = false
  /** Parley('identify') and Parley('forget'), and the customer the relay verified (visitor-identity.ts). */
  readonly #identity: VisitorIdentity
  /** Conversations the relay said are closed: a message of one never makes it current. */
  #closed = new Set<string>()
  /** The brand's masking (the defaults when its config has none), made on the first message. */
  #masker: Masker | null = null
  /** Held acked messages (connection.held) the saved history does not show yet. */
  #unsaved = new Set<string>()
  /** Shows what the relay lists and this page lacks (other-tabs.ts). */
  readonly #listed: (list: readonly ConversationSummary[]) => Promise<void>
  /** The pre-chat form's opening and the offered survey; the views call it directly. */
  readonly surveyFlow: SurveyFlow

  constructor(deps: ControllerDeps) {
    super()
    this.deps = deps
    this.#listed = followOtherTabs(deps.tabs, () => this.state, (a) => this.#apply(a), () => (this.#token ? this.#access(this.#token) : null), () => (deps.otherTabForgot ? deps.otherTabForgot() : void this.forget(false).catch(() => {})))
    const liveConnection = () => {
      this.#connect()
      return this.#connection()
    }
    this.#identity = new VisitorIdentity({
      connection: () => this.#connection(), live: liveConnection, forgotten: (tell) => this.#forgotten(tell), emit: (e, data) => this.emit(e, data),
    })
    this.surveyFlow = new SurveyFlow({
      deps, state: () => this.state, apply: (a) => this.#apply(a), liveConnection,
      startConversation: () => {
        const conn = liveConnection()
        return { conn, convId: this.#startConversation(conn) }
      },
    })
  }

  /**
   * Loads the saved conversation and what still waits in the outbox (shown as "Sending…" at once,
   * before any connection), and connects if there is a conversation to follow or a message to send.
   */
  async start(): Promise<void> {
    const conn = this.#connection()
    // The saved history expires with the visitor token it was kept for; a new visitor starts.
    if (await conn.visitExpired()) {
      await forgetHistory(this.deps.storage)
      await this.surveyFlow.forget()
    }
    await this.surveyFlow.loadRemembered()
    const saved = await loadHistory(this.deps.storage)
    if (saved) {
      this.#apply(saved.restore)
      // The connection resumes from what the history holds, so a message another tab received
      // but had not saved yet is replayed rather than skipped.
      if (saved.convId) await conn.setResumePoint(saved.convId, saved.resumeFrom)
    }
    // Acked just before the last page went away, before its history was saved: shown from where the
    // connection held them (their text as stored), and released once a saved history holds them.
    for (const message of await conn.held()) {
      this.#unsaved.add(message.clientMsgId)
      this.#apply({ type: 'message', message, mine: true, ended: saved?.convId === message.convId && saved.ended })
    }
    if (this.#unsaved.size > 0) this.#scheduleSave()
    const waiting = await conn.outbox()
    // Written offline before the history was saved: the newest waiting message names the conversation.
    const latest = waiting.at(-1)
    if (latest && !this.state.convId) this.#apply({ type: 'started', convId: latest.convId })
    this.#apply({ type: 'outbox', entries: waiting })
    if ((saved?.convId && !saved.ended) || waiting.length > 0) this.#connect()
  }

  /** Re-renders on every state change. */
  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  /** Opens the chat window; on a hidden widget (Parley('hide')) it shows it again first, as Intercom's show does, so a page's own "Chat with us" button never goes dead. */
  open(): void {
    this.setHidden(false)
    if (this.state.open) return
    this.#apply({ type: 'open' })
    this.#connect()
    this.#markRead()
    this.emit('open')
  }

  close(): void {
    if (!this.state.open) return
    this.#apply({ type: 'close' })
    this.emit('close')
  }

  /** Parley('hide') / Parley('show'): the launcher and the window leave the page and come back. */
  setHidden(hidden: boolean): void {
    this.#apply({ type: 'hidden', hidden })
    if (!hidden) this.#markRead()
  }

  /**
   * Fetches the next few of the visitor's earlier (closed) conversations from the relay, with
   * their messages. Only their own: the relay scopes the listing to the visitor's token.
   */
  async loadEarlier(fromScroll = false): Promise<void> {
    if (this.#loadingEarlier || !this.state.earlierMore || !this.#token || (fromScroll && Date.now() < this.state.earlierRetryAt)) return
    this.#loadingEarlier = true
    try {
      this.#apply(await nextEarlier(this.state, this.#access(this.#token)))
    } catch {
      this.#apply({ type: 'earlier-failed', at: Date.now() })
    } finally {
      this.#loadingEarlier = false
    }
  }

  setVisible(visible: boolean): void {
    this.#apply({ type: 'visible', visible })
    if (visible) this.#markRead()
  }

  /**
   * Sends a message, opening a conversation on the first one. It is masked first with the brand's
   * configuration, so the original never reaches the outbox, IndexedDB or the network; the visitor
   * sees it as it will be stored, with a quiet notice when something was hidden. `opening`: the
   * pre-chat answers a new conversation opens with (all known from before, so no form was shown).
   * `files` (checked against the brand's settings by the composer) wait in the outbox with it.
   */
  async send(text: string, opening?: SurveySubmission | null, files: readonly File[] = []): Promise<void> {
    const { text: body, findings } = this.mask(text.trim())
    this.#apply({ type: 'masked', notice: findings.length === 0 ? null : findings.some((f) => f.detector === 'card') ? 'card' : 'other' })
    if (isBlankText(body) && files.length === 0) return
    const outgoing = files.length ? await outgoingFiles(files, (name) => this.mask(name).text) : undefined
    this.#connect()
    const conn = this.#connection()
    let convId = this.state.convId
    // A returning visitor who answered every pre-chat field before: the chat opens with those answers.
    if ((!convId || this.state.ended) && opening) {
      await this.surveyFlow.openWith(opening, this.surveyFlow.remembered)
      convId = this.state.convId
    }
    if (!convId || this.state.ended) convId = this.#startConversation(conn)
    this.typing(false)
    await conn.send(convId, body, outgoing)
  }

  /** A file of a message (or its thumbnail), fetched with the visitor's token. */
  download(attachmentId: string, part: 'file' | 'thumbnail'): Promise<Blob> {
    return this.#connection().download(attachmentId, part) as Promise<Blob>
  }

  /** A new conversation on screen (after an ended one): its id, told to other tabs and the rules. */
  #startConversation(conn: Connection): string {
    if (this.state.ended) this.#apply({ type: 'new-chat' })
    const convId = conn.newConversationId()
    this.#apply({ type: 'started', convId })
    this.deps.tabs?.postMessage(convId)
    this.deps.onChatStarted?.()
    return convId
  }

  /**
   * The visitor ends the chat on screen: the relay closes it (conversation.close, as an agent's
   * close) and its conversation.closed ends the chat here, offering the post-chat survey. Offline,
   * nothing is sent and the chat stays as it was (false).
   */
  endChat(): boolean {
    const convId = this.state.convId
    return !!convId && !this.state.ended && !!this.#conn?.closeConversation(convId)
  }

  /** After a chat ended: a new one starts (with the pre-chat form, when there is one). */
  newChat(): void {
    if (this.state.ended) this.#apply({ type: 'new-chat' })
  }

  /** `text` masked with the brand's configuration (the defaults when its config has none), as every message is before it leaves the page. */
  mask(text: string): MaskResult {
    return (this.#masker ??= createMasker(this.deps.config.masking)).mask(text)
  }

  /** The visitor accepted a deployment rule's invitation: its message shows as the brand's first bubble. */
  invited(text: string, author: string | null): void {
    this.#apply({ type: 'invited', invitation: { text, author } })
  }

  /** Sends a failed message again (as a new message: the relay refused the old one for good). */
  async retry(id: string): Promise<void> {
    const m = this.state.messages.find((x) => x.id === id)
    if (!m) return
    this.#apply({ type: 'remove', id })
    await this.send(m.text)
  }

  remove(id: string): void {
    this.#apply({ type: 'remove', id })
  }

  /** Typing indicator for the agent: started on input, stopped after a pause or on send. */
  typing(active: boolean): void {
    const convId = this.state.convId
    if (this.#typingTimer) clearTimeout(this.#typingTimer)
    this.#typingTimer = null
    // Only once the relay has stored a message of it: before the first ack it answers typing with
    // PARLEY_ERR_CONV_NOT_FOUND (a new visitor's first message would send typing.stop).
    if (!convId || !this.#conn || !this.state.messages.some((m) => m.seq !== null)) return
    if (active) {
      this.#conn.typing(convId, true)
      this.#typingTimer = setTimeout(() => this.typing(false), TYPING_IDLE_MS)
    } else {
      this.#conn.typing(convId, false)
    }
  }

  /** Parley('identify', token): see visitor-identity.ts. */
  identify(token: string): Promise<void> {
    return this.#identity.identify(token)
  }

  /**
   * Parley('forget') / Parley('identify', null): the visitor logged out. The relay ends the visit,
   * and the browser keeps nothing of it; the view starts over as a new visitor, who connects only
   * once they chat. The site's other tabs are told to do the same (`tell`: false when another tab
   * told this one).
   */
  forget(tell = true): Promise<void> {
    return this.#identity.forget(tell)
  }

  /** The visitor's context changed (consent given or withdrawn, values set by the page). */
  contextChanged(): void {
    this.#conn?.updateContext(this.deps.context())
  }

  // ── internals ─────────────────────────────────────────────────────────────────────────────

  #connect(): void {
    const conn = this.#connection()
    if (this.#started) return
    this.#started = true
    conn.start()
  }

  /** After the connection forgot the visit: this page's copy goes too (the saved history, remembered survey answers). */
  async #forgotten(tell: boolean): Promise<void> {
    this.#started = false
    this.#token = null
    this.#closed.clear()
    this.#unsaved.clear()
    this.#apply({ type: 'forgotten' })
    // The reset above scheduled a save of the empty view: nothing of it is to be kept.
    if (this.#saveTimer) clearTimeout(this.#saveTimer)
    this.#saveTimer = null
    await forgetHistory(this.deps.storage)
    await this.surveyFlow.forget()
    if (tell) this.deps.tabs?.postMessage(FORGET)
  }

  /** The connection, made (not started) on first use, with its events turned into actions. */
  #connection(): Connection {
    if (this.#conn) return this.#conn
    // The deps carry the connection's options under the same names; it ignores the rest.
    const conn = createVisitorConnection({ ...this.deps, WebSocket: this.deps.WebSocket as never, fetch: this.deps.fetch as never, holdAcked: true })
    this.#conn = conn
    conn.on('state', (s) => {
      this.#apply({ type: 'link', link: linkStatus(s) })
      if (s.kind !== 'open') return
      const w = s.welcome
      if (w.identity.kind === 'visitor') {
        this.#token = w.identity.token
        this.#identity.customer = w.identity.customer ?? null
      }
      this.#apply({ type: 'limits', maxText: w.limits.maxTextLength })
      this.#apply({ type: 'listed', convIds: this.#noteClosed(w.conversations) })
      // Closed while the visitor's tab was shut or offline: the closing frame was never seen, and
      // without this the chat on screen stays "open" and every message to it is refused for good.
      if (this.#closed.has(this.state.convId!)) this.#ended()
    })
    // The relay refused the stored visit (erased, ended elsewhere, expired): nothing of it stays here.
    conn.on('forgotten', () => this.#forgotten(false))
    conn.on('outbox', ({ entries }) => this.#apply({ type: 'outbox', entries }))
    conn.on('ack', ({ ack }) => this.#unsaved.add(ack.clientMsgId))
    conn.on('message', ({ message, own }) => this.#onMessage(message, own))
    conn.on('refused', ({ entry, error }) => {
      if (this.surveyFlow.surveyRefused(entry, error)) return
      if (error.code !== 'PARLEY_ERR_CONV_CLOSED') return this.#apply({ type: 'refused', id: entry.clientMsgId })
      // Closed while the visitor was away: that chat ends, and the message (never stored, so sent once)
      // goes to a new chat, or to the one the visitor already started meanwhile, rather than being lost.
      if (entry.convId === this.state.convId) this.#apply({ type: 'ended' })
      this.#apply({ type: 'remove', id: entry.clientMsgId })
      void this.send(entry.text)
    })
    conn.on('frame', (f) => {
      if (f.type === 'message.redacted') return this.#apply({ type: 'redacted', convId: f.convId, seq: f.seq, text: f.text })
      if (f.type === 'conversation.closed') {
        this.#closed.add(f.convId)
        if (f.convId !== this.state.convId) this.#apply({ type: 'ended', convId: f.convId, at: f.at })
      }
      if (!this.state.convId || !('convId' in f) || f.convId !== this.state.convId) return
      if (f.type === 'typing.start' || f.type === 'typing.stop') {
        if (f.from.kind !== 'agent') return
        this.#apply({ type: 'typing', typing: f.type === 'typing.start', ...(f.from.name ? { name: f.from.name } : {}) })
        if (this.#agentTypingTimer) clearTimeout(this.#agentTypingTimer)
        // A lost typing.stop must not leave "typing…" on screen for ever.
        if (f.type === 'typing.start') this.#agentTypingTimer = setTimeout(() => this.#apply({ type: 'typing', typing: false }), 8000)
      } else if (f.type === 'conversation.assigned') {
        // An agent took the chat: the place in the queue goes, named or not.
        this.#apply(f.agent.name ? { type: 'assigned', name: f.agent.name } : { type: 'queue', place: null })
      } else if (f.type === 'queue.position') {
        this.#apply({ type: 'queue', place: { convId: f.convId, position: f.position, ...(f.estimatedWaitSec !== undefined ? { estimatedWaitSec: f.estimatedWaitSec } : {}) } })
      } else if (f.type === 'conversation.closed') {
        this.#ended(f.at, f.inactiveMin)
      } else if (f.type === 'conversation.resumed' && f.status === 'closed') {
        this.#ended()
      } else if (f.type === 'message.read' && f.by.kind === 'agent') {
        this.#apply({ type: 'read', convId: f.convId, seq: f.seq })
      }
    })
    conn.on('surveyRequested', ({ convId, surveyId }) => this.surveyFlow.offerRequested(convId, surveyId))
    conn.on('conversations', (list) => {
      this.#noteClosed(list)
      void this.#listed(list)
    })
    return conn
  }

  /** The conversation on screen closed (by either side): it ends, and the post-chat survey is offered once. */
  #ended(at?: number, inactiveMin?: number): void {
    const convId = this.state.convId
    const wasEnded = this.state.ended
    this.#apply({ type: 'ended', ...(at !== undefined ? { at } : {}), ...(inactiveMin !== undefined ? { inactiveMin } : {}) })
    this.surveyFlow.offerPost(convId, wasEnded)
  }

  /** Remembers the closed conversations of a relay's listing; returns their ids. */
  #noteClosed(list: readonly ConversationSummary[]): string[] {
    const ids = list.filter((c) => c.status === 'closed').map((c) => c.convId)
    for (const id of ids) this.#closed.add(id)
    return ids
  }

  /** The visitor's transcripts over REST, read with `token`. */
  #access(token: string): Access {
    return { base: restBase(this.deps.url), token, fetch: this.deps.fetch ?? ((input, init) => fetch(input, init)) }
  }

  #onMessage(message: MessageNew, own: boolean): void {
    const before = this.state.unread
    this.#apply({ type: 'message', message, mine: own, ended: this.#closed.has(message.convId) })
    if (message.convId !== this.state.convId) return
    if (message.from.kind === 'agent') {
      this.emit('message', { text: message.text, from: { kind: 'agent', name: message.from.name ?? null }, at: message.at })
      this.#markRead()
    }
    if (this.state.unread !== before) this.emit('unread', this.state.unread)
  }

  #markRead(): void {
    const s = this.state
    const last = s.messages.filter((m) => m.seq !== null).at(-1)
    if (isReading(s) && s.convId && last && this.#conn) this.#conn.read(s.convId, last.seq!)
  }

  #apply(a: Action): void {
    const prev = this.state
    this.state = reduce(prev, a)
    if (this.state === prev) return
    this.#updateTitle()
    this.#scheduleSave()
    for (const fn of this.#listeners) fn()
  }

  #updateTitle(): void {
    const { unread, visible } = this.state
    const t = this.deps.title
    if (unread > 0 && !visible) {
      this.#pageTitle ??= t.get()
      t.set(`(${unread}) ${plural(this.deps.strings.locale, this.deps.strings.newMessage, unread)} – ${this.#pageTitle}`)
    } else if (this.#pageTitle !== null) {
      t.set(this.#pageTitle)
      this.#pageTitle = null
    }
  }

  #scheduleSave(): void {
    if (this.#saveTimer) return
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null
      const held = [...this.#unsaved]
      // The connection lets go of acked messages only once a written history shows them.
      void saveHistory(this.deps.storage, this.state).then(async () => {
        for (const id of held) this.#unsaved.delete(id)
        await this.#conn?.release(held)
      }, () => {})
    }, 50)
  }
}
