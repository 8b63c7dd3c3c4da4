import { Component, createRef } from 'preact'
import type { Strings } from '../../i18n/strings.js'
import { AttachmentList } from '../../ui/attachment-list.js'
import { formatDate } from '../../ui/message-time.js'
import { MessageText } from '../../ui/message-text.js'
import { TimeStamp } from '../../ui/time-stamp.js'
import type { Controller } from '../controller.js'
import type { ChatMessage, Invitation, PastConversation } from '../state.js'

/** The status line under one of the visitor's messages. */
function statusText(m: ChatMessage, strings: Strings): string {
  return m.status === 'sending' ? strings.sending : m.status === 'failed' ? strings.failed : strings.sent
}

/** Props of the message list. */
export interface MessageListProps {
  messages: readonly ChatMessage[]
  /** The visitor's earlier conversations, oldest first, shown above with a divider after each. */
  earlier: readonly PastConversation[]
  /** Whether the relay may hold more earlier conversations (scrolling to the top fetches them). */
  earlierMore: boolean
  /** The last fetch of earlier conversations failed: the button offers to try again. */
  earlierFailed: boolean
  /** How far the agent has read the conversation on screen ("Seen" goes under the visitor's last message up to it). */
  agentReadSeq: number
  greeting: string
  /** An invitation the visitor accepted: shown in place of the greeting, as the brand's first bubble. */
  invitation: Invitation | null
  strings: Strings
  controller: Controller
}

/** Scrolled this close to the top, the list fetches earlier conversations. */
const NEAR_TOP_PX = 40

/** How often "5 minutes ago" is brought up to date. */
const NOW_EVERY_MS = 30_000

/** The conversation, under the visitor's earlier ones: a log that screen readers announce as messages arrive. */
export class MessageList extends Component<MessageListProps, { now: number }> {
  override state = { now: Date.now() }
  readonly #list = createRef<HTMLDivElement>()
  /** Distance from the bottom when earlier conversations were asked for, so they appear above without moving the view. */
  #anchor: number | null = null
  /** What the newest message was at the last scroll to the bottom (count and status). */
  #newest = ''
  #timer: ReturnType<typeof setInterval> | undefined

  override componentDidMount(): void {
    this.#timer = setInterval(() => this.setState({ now: Date.now() }), NOW_EVERY_MS)
    this.componentDidUpdate(this.props)
  }

  override componentWillUnmount(): void {
    clearInterval(this.#timer)
  }

  override componentDidUpdate(prev: MessageListProps): void {
    const el = this.#list.current
    if (!el) return
    if (prev.earlier.length !== this.props.earlier.length && this.#anchor !== null) {
      el.scrollTop = el.scrollHeight - this.#anchor
      this.#anchor = null
    }
    const { messages } = this.props
    const newest = `${messages.length}|${messages[messages.length - 1]?.status}`
    if (newest !== this.#newest) el.scrollTop = el.scrollHeight
    this.#newest = newest
  }

  readonly #loadEarlier = (fromScroll?: boolean) => {
    const el = this.#list.current
    if (el) this.#anchor = el.scrollHeight - el.scrollTop
    void this.props.controller.loadEarlier(fromScroll)
  }

  override render({ messages, earlier, earlierMore, earlierFailed, agentReadSeq, greeting, invitation, strings, controller }: MessageListProps, { now }: { now: number }) {
    const locale = strings.locale
    const seenId = agentReadSeq > 0 ? messages.filter((m) => m.mine && m.seq !== null && m.seq <= agentReadSeq).at(-1)?.id : undefined
    const item = (m: ChatMessage, current: boolean) => (
      <li key={m.id} class={m.mine ? 'me' : 'them'}>
        <span class="v">{m.mine ? strings.you : m.author ?? strings.agent}: </span>
        {m.text || !m.files ? <div class="u" dir="auto"><MessageText text={m.text} /></div> : null}
        {m.files ? <AttachmentList files={m.files} load={(id, part) => controller.download(id, part)} pending={strings.sending} /> : null}
        <div class="mt">
          <TimeStamp at={m.at} now={now} locale={locale} />
          {m.mine && current ? (
            <span class={m.status === 'failed' ? 's f' : 's'}>
              {statusText(m, strings)}
              {m.status === 'failed' ? (
                <>
                  {/* A file the relay refused for good would be refused again: only text is tried again. */}
                  {m.files ? null : <button type="button" onClick={() => void controller.retry(m.id)}>{strings.retry}</button>}
                  <button type="button" onClick={() => controller.remove(m.id)}>{strings.remove}</button>
                </>
              ) : null}
            </span>
          ) : null}
          {m.id === seenId ? <span class="sn">{strings.seen}</span> : null}
        </div>
      </li>
    )
    return (
      <div ref={this.#list} class="m" role="log" aria-live="polite" aria-label={strings.messages} tabIndex={0}
        onScroll={(e) => { if (earlierMore && e.currentTarget.scrollTop < NEAR_TOP_PX) this.#loadEarlier(true) }}><ol>
        {earlierMore ? <li class="g"><button type="button" class="e" onClick={() => this.#loadEarlier()}>{earlierFailed ? strings.retry : strings.earlier}</button></li> : null}
        {earlier.map((c) => [
          ...c.messages.map((m) => item(m, false)),
          <li key={`end-${c.convId}`} class="d">{c.open ? '' : `${strings.chatEnded} · `}{formatDate(c.endedAt ?? c.messages.at(-1)?.at ?? now, locale)}</li>,
        ])}
        {invitation
          ? <li class="them"><span class="v">{invitation.author ?? strings.title}: </span><div class="u" dir="auto">{invitation.text}</div></li>
          : <li class="g">{greeting}</li>}
        {messages.map((m) => item(m, true))}
      </ol></div>
    )
  }
}
