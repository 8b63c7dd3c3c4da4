import { useEffect, useRef } from 'preact/hooks'
import type { Strings } from '../../i18n/strings.js'
import { MessageText } from '../../ui/message-text.js'
import { statusText, type Controller } from '../controller.js'
import type { ChatMessage } from '../state.js'

/** Props of the message list. */
export interface MessageListProps {
  messages: readonly ChatMessage[]
  greeting: string
  strings: Strings
  controller: Controller
}

/** The conversation: a log that screen readers announce as messages arrive. */
export function MessageList({ messages, greeting, strings, controller }: MessageListProps) {
  const list = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const el = list.current
    if (el) el.scrollTop = el.scrollHeight
  }, [messages.length, messages[messages.length - 1]?.status])
  return (
    <div ref={list} class="m" role="log" aria-live="polite" aria-label={strings.messages} tabIndex={0}><ol>
      <li class="g">{greeting}</li>
      {messages.map((m) => (
        <li key={m.id} class={m.mine ? 'me' : 'them'}>
          <span class="v">{m.mine ? strings.you : m.author ?? strings.agent}: </span>
          <div class="u"><MessageText text={m.text} /></div>
          {m.mine ? (
            <div class={m.status === 'failed' ? 's f' : 's'}>
              {statusText(m, strings)}
              {m.status === 'failed' ? (
                <>
                  <button type="button" onClick={() => void controller.retry(m.id)}>{strings.retry}</button>
                  <button type="button" onClick={() => controller.remove(m.id)}>{strings.remove}</button>
                </>
              ) : null}
            </div>
          ) : null}
        </li>
      ))}
    </ol></div>
  )
}
