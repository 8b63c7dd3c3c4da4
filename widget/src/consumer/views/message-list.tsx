import { useEffect, useLayoutEffect, useRef } from 'preact/hooks'
import type { Strings } from '../../i18n/strings.js'
import { formatDate } from '../../ui/message-time.js'
import { MessageText } from '../../ui/message-text.js'
import { TimeStamp } from '../../ui/time-stamp.js'
import { useNow } from '../../ui/use-now.js'
import type { Controller } from '../controller.js'
import type { ChatMessage, PastConversation } from '../state.js'

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
  strings: Strings
  controller: Controller
}

/** Scrolled this close to the top, the list fetches earlier conversations. */
const NEAR_TOP_PX = 40

/** The conversation, under the visitor's earlier ones: a log that screen readers announce as messages arrive. */
export function MessageList({ messages, earlier, earlierMore, earlierFailed, agentReadSeq, greeting, strings, controller }: MessageListProps) {
  const list = useRef<HTMLDivElement>(null)
  // Distance from the bottom when earlier conversations were asked for, so they appear above without moving the view.
  const anchor = useRef<number | null>(null)
  const now = useNow(30_000)
  const locale = strings.locale
  useEffect(() => {
    const el = list.current
    if (el) el.scrollTop = el.scrollHeight
  }, [messages.length, messages[messages.length - 1]?.status])
  useLayoutEffect(() => {
    const el = list.current
    if (el && anchor.current !== null) el.scrollTop = el.scrollHeight - anchor.current
    anchor.current = null
  }, [earlier.length])
  const loadEarlier = (fromScroll?: boolean) => {
    const el = list.current
    if (el) anchor.current = el.scrollHeight - el.scrollTop
    void controller.loadEarlier(fromScroll)
  }
  const seenId = agentReadSeq > 0 ? messages.filter((m) => m.mine && m.seq !== null && m.seq <= agentReadSeq).at(-1)?.id : undefined
  const item = (m: ChatMessage, current: boolean) => (
    <li key={m.id} class={m.mine ? 'me' : 'them'}>
      <span class="v">{m.mine ? strings.you : m.author ?? strings.agent}: </span>
      <div class="u" dir="auto"><MessageText text={m.text} /></div>
      <div class="mt">
        <TimeStamp at={m.at} now={now} locale={locale} />
        {m.mine && current ? (
          <span class={m.status === 'failed' ? 's f' : 's'}>
            {statusText(m, strings)}
            {m.status === 'failed' ? (
              <>
                <button type="button" onClick={() => void controller.retry(m.id)}>{strings.retry}</button>
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
    <div ref={list} class="m" role="log" aria-live="polite" aria-label={strings.messages} tabIndex={0}
      onScroll={(e) => { if (earlierMore && e.currentTarget.scrollTop < NEAR_TOP_PX) loadEarlier(true) }}><ol>
      {earlierMore ? <li class="g"><button type="button" class="e" onClick={() => loadEarlier()}>{earlierFailed ? strings.retry : strings.earlier}</button></li> : null}
      {earlier.map((c) => [
        ...c.messages.map((m) => item(m, false)),
        <li key={`end-${c.convId}`} class="d">{c.open ? '' : `${strings.chatEnded} · `}{formatDate(c.endedAt ?? c.messages.at(-1)?.at ?? now, locale)}</li>,
      ])}
      <li class="g">{greeting}</li>
      {messages.map((m) => item(m, true))}
    </ol></div>
  )
}
