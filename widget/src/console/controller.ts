import { createConnection, linkStatus, randomId, type Connection, type KeyValueStorage, type NetworkSignal } from '@parley/sdk/connection'
import {
  isBlankText, type AgentPresence, type AgentPresenceList, type Conversation, type ConversationAssigned, type ConversationJoined, type ConversationRequeued, type MaskingConfig, type NoteAdded, type QueueListed,
  type SetAgentStatus, type Survey, type SurveyRequested, type SurveyResponse, type SurveyResponseList, type SurveysConfig,
} from '@parley/sdk/contract'
import { createMasker, type Masker } from '@parley/sdk/masking'
import { outgoingFiles } from '../ui/outgoing-files.js'
import { INITIAL, reduce, type Action, type ConsoleState } from './state.js'
import { contactName, offlineContact } from './offline-contact.js'
import { versionKey } from './survey-answers.js'

// The console's I/O adapter: one live connection for the agent, turned into state actions.

/** The codes a relay closes an agent's connection with (4401) because the session is over. */
const SESSION_ENDINGS: ReadonlySet<string> = new Set([
  'PARLEY_ERR_AUTH_SESSION_REVOKED', 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE', 'PARLEY_ERR_AUTH_TOKEN_EXPIRED', 'PARLEY_ERR_AUTH_TOKEN_INVALID', 'PARLEY_ERR_AUTH_REQUIRED',
])

/** Where a chat is handed: a colleague, or the queue of a skill. */
export type TransferTarget = { agentId: string } | { skill: string }

/** What the console controller needs from the browser. */
export interface ConsoleDeps {
  token: string
  url: string
  WebSocket: new (url: string) => WebSocket
  storage: KeyValueStorage
  storagePrefix: string
  /** The browser's online/offline hints, so the badge shows a lost network at once. */
  network?: NetworkSignal
  /** The brand's masking configuration (GET /v1/masking); the defaults when absent or unreadable. */
  masking?: Promise<MaskingConfig | null>
  /** Reads a stored conversation (GET /v1/conversations/:convId), to learn whether a chat came through the offline form. */
  conversation?: (convId: string) => Promise<Conversation>
  /** The REST calls for agents' availability (api.ts); without them the team shows what frames say. */
  availability?: {
    presence(): Promise<AgentPresenceList>
    setStatus(body: SetAgentStatus): Promise<AgentPresence>
  }
  /** The REST reads of surveys (api.ts); without them answers show by field id and value, and "Send survey" is left to the relay to refuse. */
  surveys?: {
    /** The brand's surveys (GET /v1/surveys): which one is the post-chat survey. */
    config(): Promise<SurveysConfig>
    /** One version of a survey (GET /v1/surveys/:surveyId/versions/:version), for option labels. */
    version(surveyId: string, version: number): Promise<Survey>
    /** A stored conversation's answers (GET /v1/conversations/:convId/responses), when a join carries none. */
    responses(convId: string): Promise<SurveyResponseList>
  }
}

/** The console's state machine with its side effects. */
export class ConsoleController {
  state: ConsoleState = INITIAL
  readonly #conn: Connection
  readonly #listeners = new Set<() => void>()
  #typingTimers = new Map<string, ReturnType<typeof setTimeout>>()
  /** Queue listing and rejoins run one after another: the queue is listed before my chats take their entries out of it. */
  #listing: Promise<void> = Promise.resolve()
  /** Masks a reply before it enters the outbox: the brand's configuration, or the defaults (cards) when it can't be read. */
  readonly #masker: Promise<Masker>
  readonly #lookup: ConsoleDeps['conversation']
  readonly #availability: ConsoleDeps['availability']
  readonly #surveys: ConsoleDeps['surveys']
  /** Survey versions asked for (or being read), so each is read once. */
  readonly #versionsAsked = new Set<string>()
  #surveysRead = false
  /** The last authentication error the relay sent outside any request: why it is about to close. */
  #authCode: string | null = null
  /** My notes not saved because the link failed, by client note id: sent again, same id, when it is back. */
  readonly #unsavedNotes = new Map<string, { convId: string; text: string }>()

  constructor(deps: ConsoleDeps) {
    this.#lookup = deps.conversation
    this.#availability = deps.availability
    this.#surveys = deps.surveys
    this.#masker = Promise.resolve(deps.masking).then((c) => createMasker(c), () => createMasker(null))
    const conn = createConnection({
      url: deps.url, auth: { kind: 'agent', token: deps.token }, WebSocket: deps.WebSocket as never,
      // The console rebuilds every chat from the relay, so read positions of an earlier page are void.
      storage: deps.storage, storagePrefix: deps.storagePrefix, resumeListed: false, restoreCursors: false,
      ...(deps.network ? { network: deps.network } : {}),
    })
    this.#conn = conn
    conn.on('state', (s) => {
      this.#apply({ type: 'link', link: linkStatus(s) })
      if (s.kind === 'open') {
        const id = s.welcome.identity
        if (id.kind === 'agent') this.#apply({ type: 'welcome', agentId: id.agentId, agentName: id.name, ...(id.role ? { role: id.role } : {}) })
        // An offer.ended sent while the link was down is lost: drop every card; the relay offers
        // again, after this welcome, what is still offered to me.
        this.#apply({ type: 'desk', action: { type: 'reset' } })
        this.#apply({ type: 'limits', maxText: s.welcome.limits.maxTextLength })
        this.#listing = this.#listing.then(() => this.#listQueue())
        void this.#loadTeam()
        void this.#loadSurveys()
        for (const [id, n] of this.#unsavedNotes) void this.addNote(n.convId, n.text, id)
      }
      if (s.kind === 'stopped' && s.code) {
        // A 4401 close stands for every authentication code; the error frame the relay sent just
        // before it names the one (revoked, deactivated, expired).
        const code = s.code.startsWith('PARLEY_ERR_AUTH_') ? this.#authCode ?? s.code : null
        if (code) this.#apply({ type: 'signed-out', code })
        else this.#apply({ type: 'error', message: s.code })
      }
    })
    // Said outside any request (revoked while connected) or in answer to hello (refused on reconnecting).
    conn.on('error', (info) => { if (SESSION_ENDINGS.has(info.code)) this.#authCode = info.code })
    conn.on('message', ({ message, own }) => this.#apply({ type: 'message', message, mine: own }))
    conn.on('outbox', ({ entries }) => this.#apply({ type: 'outbox', entries }))
    // The chats I hold, from welcome and then page by page (the connection lists them all): after a
    // reload or reconnect they come back, with what I missed.
    conn.on('conversations', (list) => {
      const joined = list.map((c) => c.convId)
      this.#listing = this.#listing.then(() => this.#rejoin(joined))
    })
    conn.on('refused', ({ error }) => this.#apply({ type: 'error', message: error.message }))
    conn.on('frame', (f) => {
      switch (f.type) {
        case 'conversation.opened':
          this.#contact(f.convId, f)
          this.#apply({ type: 'queued', entry: { convId: f.convId, visitorId: f.visitorId, createdAt: f.at, lastSeq: 1, preview: f.preview ?? '', ...(f.context ? { context: f.context } : {}), ...(f.routing ? { routing: f.routing } : {}) } })
          break
        case 'conversation.previewed': this.#apply({ type: 'previewed', convId: f.convId, preview: f.preview }); break
        case 'conversation.assigned':
          // Accepted (taken by the agent who assigned it): it left the queue, even if not on a page loaded here.
          if (f.by.id === f.agent.id) this.#apply({ type: 'dequeued', convId: f.convId, waiting: true })
          // Leaves the queue; a chat of mine records who holds it now.
          this.#apply({ type: 'assigned', convId: f.convId, agentId: f.agent.id })
          // Handed on by someone else (not taken by the one who accepted it): a note older than this is stale.
          if (f.by.id !== f.agent.id) this.#apply({ type: 'desk', action: { type: 'handed', convId: f.convId, at: f.at } })
          // The note a colleague left when handing it to me, shown above the chat (the join's notes
          // are older than this assignment, so they do not replace it).
          if (f.note && f.agent.id === this.state.agentId) this.#apply({ type: 'desk', action: { type: 'note', convId: f.convId, note: f.note } })
          // Handed to me by a colleague: open it.
          if (f.agent.id === this.state.agentId && !this.state.chats[f.convId]) void this.#open(f.convId, 'join')
          break
        case 'conversation.closed':
          // The relay doesn't say whether an unlisted one was waiting: while the list is partial, count again.
          if (this.state.queueNext && !this.state.queue.some((q) => q.convId === f.convId) && !this.state.chats[f.convId]) void this.#recountQueue()
          this.#apply({ type: 'closed', convId: f.convId, ...(f.reason === 'inactive' && f.inactiveMin ? { inactiveMin: f.inactiveMin } : {}) })
          break
        case 'conversation.erased': this.#apply({ type: 'erased', convId: f.convId, erasedAt: f.erasedAt }); break
        case 'typing.start':
        case 'typing.stop':
          if (f.from.kind === 'visitor') this.#visitorTyping(f.convId, f.type === 'typing.start')
          break
        case 'message.read': if (f.by.kind === 'visitor') this.#apply({ type: 'read', convId: f.convId, seq: f.seq }); break
        case 'context.updated': this.#apply({ type: 'context', convId: f.convId, context: f.context }); break
        case 'message.redacted': this.#apply({ type: 'redacted', convId: f.convId, seq: f.seq, text: f.text }); break
        case 'agent.status': this.#apply({ type: 'agent-status', agent: f.agent }); break
        case 'survey.requested': this.#apply({ type: 'survey-requested', convId: f.convId, surveyId: f.surveyId, at: f.at }); break
        case 'survey.response': this.#answered(f.convId, [f.response]); break
        case 'note.added': this.#apply({ type: 'notes', convId: f.note.convId, change: { kind: 'stored', notes: [f.note] } }); break
        case 'conversation.offered': this.#apply({ type: 'desk', action: { type: 'offered', frame: f, at: Date.now() } }); break
        case 'offer.ended': this.#apply({ type: 'desk', action: { type: 'ended', convId: f.convId, outcome: f.outcome, at: Date.now() } }); break
        case 'conversation.requeued':
          this.#apply({ type: 'desk', action: { type: 'handed', convId: f.convId, at: f.at } })
          this.#apply({ type: 'queued', entry: f.entry })
          break
        default: break
      }
    })
    conn.start()
  }

  subscribe(fn: () => void): () => void {
    this.#listeners.add(fn)
    return () => this.#listeners.delete(fn)
  }

  /** Takes a waiting conversation, or one offered to me (its card goes at once). */
  async accept(convId: string): Promise<void> {
    const offered = this.state.desk.offers.some((o) => o.convId === convId)
    await this.#open(convId, 'accept')
    if (offered) this.#apply({ type: 'desk', action: { type: 'ended', convId, outcome: 'accepted', at: Date.now() } })
  }

  /** Turns down a chat offered to me: the relay offers it to the next agent who fits. */
  async decline(convId: string): Promise<void> {
    try {
      await this.#conn.request({ type: 'conversation.decline', convId })
    } catch (err) {
      this.#apply({ type: 'error', message: (err as Error).message })
    }
    this.#apply({ type: 'desk', action: { type: 'ended', convId, outcome: 'declined', at: Date.now() } })
  }

  /** Forgets missed offers shown since before `before` ("Missed" shows for a moment). */
  forgetMissed(before: number): void {
    this.#apply({ type: 'desk', action: { type: 'forget-missed', before } })
  }

  /** Drops offers whose time ran out a while before `now` and whose end the relay never said. */
  expireOffers(now: number): void {
    this.#apply({ type: 'desk', action: { type: 'expire', now } })
  }

  select(convId: string | null): void {
    this.#apply({ type: 'select', convId })
    this.markRead()
  }

  /** The console's tab went to the background or came back. */
  setVisible(visible: boolean): void {
    this.#apply({ type: 'visible', visible })
    this.markRead()
  }

  /** Marks the chat on screen read up to its last message (only while the tab is on screen). */
  markRead(): void {
    if (!this.state.visible) return
    const c = this.state.active ? this.state.chats[this.state.active] : null
    const last = c?.lines.filter((l) => l.seq !== null).at(-1)
    if (c && last) this.#conn.read(c.convId, last.seq!)
  }

  /**
   * Sends a reply, masked first with the brand's configuration, so the original never reaches the
   * outbox, IndexedDB or the network; a quiet notice says what was hidden. A value split across two
   * replies is the relay's to find: it masks the later one and rewrites the earlier (message.redacted).
   */
  async send(convId: string, text: string, files: readonly File[] = []): Promise<void> {
    if (isBlankText(text) && files.length === 0) return
    const masker = await this.#masker
    const { text: body, findings } = masker.mask(text.trim())
    this.#apply({ type: 'masked', convId, notice: findings.length === 0 ? null : findings.some((f) => f.detector === 'card') ? 'card' : 'other' })
    if (isBlankText(body) && files.length === 0) return
    this.#conn.typing(convId, false)
    await this.#conn.send(convId, body, files.length ? await outgoingFiles(files, (name) => masker.mask(name).text) : undefined)
  }

  /** A file of a message (or its thumbnail), fetched with the agent's token. */
  download(attachmentId: string, part: 'file' | 'thumbnail'): Promise<Blob> {
    return this.#conn.download(attachmentId, part) as Promise<Blob>
  }

  /**
   * Writes an internal note, for agents only: masked here first like a reply, then note.add. A note
   * is not kept in the outbox (that holds what the visitor is sent). One the link lost goes again
   * when the connection is back; one the relay refused shows as not saved, and `retryId` sends it
   * again under the same client note id, so the relay stores it once however often it went.
   */
  async addNote(convId: string, text: string, retryId?: string): Promise<void> {
    if (isBlankText(text)) return
    const { text: body } = (await this.#masker).mask(text.trim())
    if (isBlankText(body)) return
    const id = retryId ?? randomId()
    this.#apply({ type: 'notes', convId, change: { kind: 'sending', id, text: body, author: this.state.agentName, at: Date.now() } })
    try {
      const r = await this.#conn.request<NoteAdded>({ type: 'note.add', convId, clientNoteId: id, text: body })
      this.#unsavedNotes.delete(id)
      this.#apply({ type: 'notes', convId, change: { kind: 'stored', notes: [r.note] } })
    } catch (err) {
      this.#apply({ type: 'notes', convId, change: { kind: 'failed', id } })
      // Lost with the link (or timed out): it goes again on its own once connected.
      if ((err as { retryable?: boolean }).retryable) this.#unsavedNotes.set(id, { convId, text: body })
      else this.#apply({ type: 'error', message: (err as Error).message })
    }
  }

  typing(convId: string, active: boolean): void {
    this.#conn.typing(convId, active)
  }

  /**
   * Hands a chat on with an optional note for whoever takes it: to a colleague (it stays here,
   * read-only) or back to a skill's queue (it leaves my list; the queue shows it again). The note is
   * masked here first, like a reply or a note. True once the relay has done it; false when it
   * refused (or the link failed), with the reason shown.
   */
  async transfer(convId: string, to: TransferTarget, note?: string): Promise<boolean> {
    const text = note && !isBlankText(note) ? (await this.#masker).mask(note.trim()).text : ''
    try {
      const r = await this.#conn.request<ConversationAssigned | ConversationRequeued>({ type: 'conversation.transfer', convId, ...to, ...(isBlankText(text) ? {} : { note: text }) })
      if (r.type === 'conversation.assigned') this.#apply({ type: 'assigned', convId, agentId: r.agent.id })
      else {
        this.#apply({ type: 'handed-back', entry: r.entry })
        this.#apply({ type: 'desk', action: { type: 'handed', convId, at: r.at } })
        // Should it come back to me, its whole history is fetched again, not only what follows.
        await this.#conn.setResumePoint(convId, 0)
      }
      return true
    } catch (err) {
      this.#apply({ type: 'error', message: (err as Error).message })
      return false
    }
  }

  /** Sends the visitor of an open chat a survey (the brand's post-chat survey); "Survey sent" shows when the relay says so. */
  async requestSurvey(convId: string): Promise<void> {
    try {
      const r = await this.#conn.request<SurveyRequested>({ type: 'survey.request', convId })
      this.#apply({ type: 'survey-requested', convId, surveyId: r.surveyId, at: r.at })
    } catch (err) {
      this.#apply({ type: 'error', message: (err as Error).message })
    }
  }

  async closeChat(convId: string): Promise<void> {
    try {
      await this.#conn.request({ type: 'conversation.close', convId })
      this.#apply({ type: 'closed', convId })
    } catch (err) {
      this.#apply({ type: 'error', message: (err as Error).message })
    }
  }

  dismiss(convId: string): void {
    this.#apply({ type: 'dismiss', convId })
  }

  /** Lists the queue again from its start, newest or oldest first. */
  async orderQueue(newest: boolean): Promise<void> {
    try {
      const q = await this.#conn.request<QueueListed>({ type: 'queue.list', order: newest ? 'newest' : 'priority' })
      this.#listed(q)
      this.#apply({ type: 'queue', entries: q.conversations, total: q.total, next: q.next ?? null, newest })
    } catch (err) {
      this.#apply({ type: 'error', message: (err as Error).message })
    }
  }

  /** Lists the next page of the queue, in the order shown. */
  async moreQueue(): Promise<void> {
    const cursor = this.state.queueNext
    if (!cursor) return
    try {
      const q = await this.#conn.request<QueueListed>({ type: 'queue.list', cursor, order: this.state.queueNewest ? 'newest' : 'priority' })
      this.#listed(q)
      this.#apply({ type: 'queue', entries: q.conversations, total: q.total, next: q.next ?? null, more: true })
    } catch (err) {
      this.#apply({ type: 'error', message: (err as Error).message })
    }
  }

  /** My own availability as the relay last said; undefined until it did. */
  get me(): AgentPresence | undefined {
    return this.state.agentId ? this.state.team[this.state.agentId] : undefined
  }

  /** Sets my status (available or away, by hand or by the idle timer) and/or my idle minutes. */
  async setStatus(body: SetAgentStatus): Promise<void> {
    if (!this.#availability) return
    try {
      this.#apply({ type: 'agent-status', agent: await this.#availability.setStatus(body) })
    } catch (err) {
      this.#apply({ type: 'error', message: (err as Error).message })
    }
  }

  clearError(): void {
    this.#apply({ type: 'error', message: null })
  }

  async stop(): Promise<void> {
    await this.#conn.stop()
  }

  async #listQueue(): Promise<void> {
    try {
      const newest = this.state.queueNewest
      const q = await this.#conn.request<QueueListed>({ type: 'queue.list', order: newest ? 'newest' : 'priority' })
      this.#listed(q)
      this.#apply({ type: 'queue', entries: q.conversations, total: q.total, next: q.next ?? null, newest })
    } catch (err) {
      this.#apply({ type: 'error', message: (err as Error).message })
    }
  }

  /** Brings back chats I hold: joins each (for who and where the visitor is), then resumes them in one frame. */
  async #rejoin(joined: string[]): Promise<void> {
    const back: string[] = []
    for (const convId of joined) if (!this.state.chats[convId] && await this.#join(convId, 'join')) back.push(convId)
    if (back.length) await this.#resume(back)
  }

  async #open(convId: string, how: 'accept' | 'join'): Promise<void> {
    const before = this.state.active
    // An accepted chat goes on screen before the relay answers, so what the agent types next is for it.
    if (how === 'accept') this.#apply({ type: 'opening', convId })
    if (!(await this.#join(convId, how, before))) return
    await this.#resume([convId])
    this.#apply({ type: 'loaded', convId })
  }

  /**
   * Joins (or accepts) a conversation and adds its chat; false when the relay refused. A refused
   * accept (a colleague was quicker) puts `before`, the chat that was on screen, back.
   */
  async #join(convId: string, how: 'accept' | 'join', before: string | null = null): Promise<boolean> {
    try {
      const j = await this.#conn.request<ConversationJoined>({ type: how === 'accept' ? 'conversation.accept' : 'conversation.join', convId })
      // Rejoining (after a reload, or handed to me): what I had read is not news, and what the
      // visitor had read shows as "Seen" at once. Accepting: the chat opens on screen.
      this.#apply({
        type: 'chat', convId, visitorId: j.visitorId, context: j.context ?? null, closed: j.status === 'closed',
        assignedAgentId: j.assignedAgentId ?? null, seenSeq: how === 'join' ? j.readSeq ?? 0 : 0, visitorReadSeq: j.visitorReadSeq ?? 0,
        ...(j.routing ? { routing: j.routing } : {}), customer: j.customer ?? null,
      })
      // Erased before this console loaded it: the stub says so, as it would have live.
      if (j.erasedAt !== undefined) this.#apply({ type: 'erased', convId, erasedAt: j.erasedAt })
      // A chat taken from a skill's queue (or rejoined after a reload): the latest transfer note,
      // unless it is older than the chat's last handover seen here (it was for an earlier one).
      if (j.notes) this.#apply({ type: 'desk', action: { type: 'joined-notes', convId, notes: j.notes } })
      // The join carries the answers given so far; a relay that sends none leaves them to REST.
      if (j.notes) this.#apply({ type: 'notes', convId, change: { kind: 'stored', notes: j.notes } })
      if (j.responses) this.#answered(convId, j.responses)
      else if (this.#surveys) this.#surveys.responses(convId).then((l) => this.#answered(convId, l.responses), () => undefined)
      // The socket doesn't say where a chat came from; the stored conversation does (once per chat).
      if (!this.state.contacts[convId] && !this.state.names[convId] && this.#lookup) this.#lookup(convId).then((c) => this.#contact(convId, c), () => undefined)
      return true
    } catch (err) {
      this.#apply({ type: 'dequeued', convId })
      if (how === 'accept') {
        this.#apply({ type: 'dismiss', convId })
        if (before && this.state.chats[before]) this.select(before)
      }
      this.#apply({ type: 'error', message: (err as Error).message })
      return false
    }
  }

  /** Fetches every message of the chats (the relay takes at most welcome.limits.maxResumeConversations a frame). */
  async #resume(convIds: string[]): Promise<void> {
    const s = this.#conn.state
    const most = s.kind === 'open' ? s.welcome.limits.maxResumeConversations : 1
    try {
      for (let i = 0; i < convIds.length; i += most) {
        await this.#conn.request({ type: 'conversation.resume', convs: convIds.slice(i, i + most).map((convId) => ({ convId, afterSeq: 0 })) })
      }
    } catch (err) {
      this.#apply({ type: 'error', message: (err as Error).message })
    }
  }

  /** Everyone's availability, once connected; agent.status frames keep it current after that. */
  async #loadTeam(): Promise<void> {
    if (!this.#availability) return
    try {
      const list = await this.#availability.presence()
      this.#apply({ type: 'team', agents: list.agents })
    } catch { /* the badges fill in from agent.status frames */ }
  }

  /** Which survey is the post-chat one (for "Send survey"), once per page. */
  async #loadSurveys(): Promise<void> {
    if (!this.#surveys || this.#surveysRead) return
    this.#surveysRead = true
    try {
      this.#apply({ type: 'surveys', config: await this.#surveys.config() })
    } catch {
      // Unreadable: "Send survey" stays offered and the relay says whether there is one to send.
      this.#surveysRead = false
    }
  }

  /** Adds answers to a chat and reads the survey versions they answered, for their option labels. */
  #answered(convId: string, responses: readonly SurveyResponse[]): void {
    this.#apply({ type: 'responses', convId, responses })
    for (const r of responses) {
      const key = versionKey(r.surveyId, r.version)
      if (!this.#surveys || this.state.surveys[key] || this.#versionsAsked.has(key)) continue
      this.#versionsAsked.add(key)
      this.#surveys.version(r.surveyId, r.version).then((survey) => this.#apply({ type: 'survey-version', survey: { ...survey, version: r.version } }), () => undefined)
    }
  }

  async #recountQueue(): Promise<void> {
    try {
      const q = await this.#conn.request<QueueListed>({ type: 'queue.list', limit: 1 })
      if (q.total !== undefined) this.#apply({ type: 'queue-total', total: q.total })
    } catch { /* the next listing corrects it */ }
  }

  /**
   * Records the offline form's contact when `from` (a frame, queue entry or stored conversation) says
   * it came that way, and the visitor's name when its contact (offline or pre-chat) gives one.
   */
  #contact(convId: string, from: { origin?: unknown; contact?: unknown }): void {
    const contact = offlineContact(from)
    if (contact) this.#apply({ type: 'contact', convId, contact })
    const name = contactName(from)
    if (name) this.#apply({ type: 'name', convId, name })
  }

  /** Offline messages and visitors' names in a queue listing. */
  #listed(q: QueueListed): void {
    for (const e of q.conversations) this.#contact(e.convId, e)
  }

  #visitorTyping(convId: string, typing: boolean): void {
    this.#apply({ type: 'typing', convId, typing })
    clearTimeout(this.#typingTimers.get(convId))
    if (typing) this.#typingTimers.set(convId, setTimeout(() => this.#apply({ type: 'typing', convId, typing: false }), 8000))
  }

  #apply(a: Action): void {
    const prev = this.state
    this.state = reduce(prev, a)
    if (this.state !== prev) for (const fn of this.#listeners) fn()
  }
}
