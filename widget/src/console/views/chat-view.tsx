import { useEffect, useRef, useState } from 'preact/hooks'
import { plural } from '../../i18n/plural.js'
import { EN } from '../../i18n/strings.js'
import { AttachmentList, type LoadFile } from '../../ui/attachment-list.js'
import { MessageText } from '../../ui/message-text.js'
import { textLimitHint } from '../../ui/text-limit.js'
import { TimeStamp } from '../../ui/time-stamp.js'
import { useNow } from '../../ui/use-now.js'
import type { Colleague, OfflineContact } from '@parley/sdk/contract'
import type { Chat } from '../state.js'
import { AttachFiles } from './attach-files.js'
import { OfflineNote } from './offline-note.js'

/** Props of the chat on screen. */
export interface ChatViewProps {
  chat: Chat
  /** The offline form's contact when the visitor left a message nobody was there to answer live. */
  contact?: OfflineContact | null
  /** The name the visitor gave (offline form or pre-chat answers), shown instead of "Visitor xxxxxx". */
  name?: string | undefined
  /** Agents this chat can be handed to. */
  colleagues: Colleague[]
  /** The colleague I handed it to, or null while it is mine. */
  handedTo: string | null
  onTransfer: (agentId: string) => void
  onSend: (text: string) => void
  /** Sends files as a message of their own (absent: no attach button). */
  onSendFiles?: (files: File[]) => void
  /** Fetches a file of the chat with the agent's token. */
  load?: LoadFile
  onTyping: (active: boolean) => void
  onClose: () => void
  onDismiss: () => void
  /** Longest reply the relay takes (welcome.limits), null until connected. */
  maxText: number | null
  /** The brand's post-chat survey: its id, null when it has none (the button says why it is off), undefined when unknown. */
  postSurvey?: string | null
  /** Sends the visitor the post-chat survey (absent: no button). */
  onRequestSurvey?: () => void
}

/** The console speaks English; dates and times follow the agent's browser. */
const LOCALE = globalThis.navigator?.language ?? 'en'

/** Hands the chat to a colleague. */
function Transfer({ colleagues, onTransfer }: { colleagues: Colleague[]; onTransfer: (agentId: string) => void }) {
  const [to, setTo] = useState('')
  if (colleagues.length === 0) return null
  return (
    <form class="transfer" onSubmit={(e) => { e.preventDefault(); if (to) onTransfer(to) }}>
      <label>Transfer to{' '}
        <select value={to} onChange={(e) => setTo(e.currentTarget.value)}>
          <option value="">Choose an agent</option>
          {colleagues.map((a) => <option key={a.agentId} value={a.agentId}>{a.name}</option>)}
        </select>
      </label>
      <button type="submit" disabled={!to}>Transfer</button>
    </form>
  )
}

/** "Send survey", off with its reason when the brand has no post-chat survey; "Survey sent" once the relay sent it. */
function SendSurvey({ postSurvey, sent, answered, offline, onRequest }: { postSurvey: string | null | undefined; sent: boolean; answered: boolean; offline: boolean; onRequest: () => void }) {
  // Why the button is off: the relay keeps one answer per survey, and an offline visitor is not in a chat.
  const why = postSurvey === null ? 'No post-chat survey is set up for this brand.'
    : offline ? 'The visitor left an offline message and is not in a chat.'
      : answered ? 'The visitor has answered the post-chat survey.' : null
  return (
    <span class="send-survey">
      <button type="button" disabled={why !== null} aria-describedby={why ? 'survey-off' : undefined} onClick={onRequest}>Send survey</button>
      {why ? <span id="survey-off" class="muted">{why}</span> : null}
      <span class="muted" role="status">{answered ? 'Survey answered' : sent ? 'Survey sent' : ''}</span>
    </span>
  )
}

/** One conversation: transcript, typing indicator, reply box, transfer, send survey, close. */
export function ChatView({ chat, contact, name, colleagues, handedTo, onTransfer, onSend, onSendFiles, load, onTyping, onClose, onDismiss, maxText, postSurvey, onRequestSurvey }: ChatViewProps) {
  const [text, setText] = useState('')
  const now = useNow(30_000)
  const hint = textLimitHint(text.trim(), maxText)
  // "Seen" under my last line the visitor has read.
  const seenId = chat.visitorReadSeq > 0 ? chat.lines.filter((l) => !l.fromVisitor && l.seq !== null && l.seq <= chat.visitorReadSeq).at(-1)?.id : undefined
  const done = chat.closed || handedTo !== null
  const loading = chat.loading === true
  const list = useRef<HTMLDivElement>(null)
  useEffect(() => { if (list.current) list.current.scrollTop = list.current.scrollHeight }, [chat.lines.length])
  const send = () => {
    if (loading || !text.trim() || hint.kind === 'over') return
    onSend(text)
    setText('')
  }
  return (
    <section class="chatview" aria-label={`Chat with ${name ?? `visitor ${chat.visitorId.slice(-6)}`}`}>
      <header>
        <h2>{name ? <bdi>{name}</bdi> : <>Visitor {chat.visitorId.slice(-6)}</>}</h2>
        {done ? <button type="button" onClick={onDismiss}>Remove from list</button> : loading ? null : (
          <>
            <Transfer colleagues={colleagues} onTransfer={onTransfer} />
            {onRequestSurvey ? <SendSurvey postSurvey={postSurvey} sent={!!chat.surveyRequested}
              answered={chat.responses?.some((r) => r.kind === 'post') ?? false} offline={!!contact} onRequest={onRequestSurvey} /> : null}
            <button type="button" onClick={onClose}>Close chat</button>
          </>
        )}
      </header>
      {contact ? <OfflineNote contact={contact} /> : null}
      <div ref={list} class="log" role="log" aria-live="polite" aria-label="Messages" tabIndex={0}><ol class="lines">
        {chat.lines.map((l) => (
          <li key={l.id} class={l.fromVisitor ? 'them' : 'me'}>
            <span class="author">{l.author} · <TimeStamp at={l.at} now={now} locale={LOCALE} /></span>
            {l.text || !l.files ? <div class="bubble" dir="auto"><MessageText text={l.text} /></div> : null}
            {l.files && load ? <AttachmentList files={l.files} load={load} pending="Sending…" /> : null}
            {l.pending ? <span class="muted">Sending…</span> : null}
            {l.id === seenId ? <span class="muted seen">Seen</span> : null}
          </li>
        ))}
      </ol></div>
      <p class="typing" aria-live="polite">{loading ? 'Opening the conversation…' : chat.visitorTyping ? 'Visitor is typing…' : ''}</p>
      {chat.closed ? <p class="muted note" role="status">This conversation has ended.</p>
        : handedTo !== null ? <p class="muted note" role="status">You handed this chat to {handedTo}.</p> : (
        <form class="reply" onSubmit={(e) => { e.preventDefault(); send() }}>
          {/* Always there, so a screen reader hears the notice when it appears; polite, not an alert. */}
          <p class="mk muted" role="status" aria-live="polite">{chat.masked === 'card' ? EN.maskedCard : chat.masked ? EN.masked : ''}</p>
          <p id="reply-limit" class={hint.kind === 'over' ? 'limit error' : 'limit muted'} role="status" aria-live="polite">
            {hint.kind === 'left' ? plural('en', EN.charsLeft, hint.n) : hint.kind === 'over' ? plural('en', EN.charsOver, hint.n) : ''}
          </p>
          <textarea aria-label="Reply" rows={2} value={text} disabled={loading} aria-describedby="reply-limit" aria-invalid={hint.kind === 'over' ? 'true' : undefined}
            onInput={(e) => { setText(e.currentTarget.value); onTyping(e.currentTarget.value.length > 0) }}
            onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send() } }}
            onPaste={(e) => { const files = [...(e.clipboardData?.files ?? [])]; if (files.length && onSendFiles) { e.preventDefault(); onSendFiles(files) } }} />
          {onSendFiles ? <AttachFiles onFiles={onSendFiles} disabled={loading} /> : null}
          <button type="submit" disabled={loading}>Send</button>
        </form>
      )}
    </section>
  )
}
