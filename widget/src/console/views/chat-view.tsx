import { useEffect, useRef, useState } from 'preact/hooks'
import { plural } from '../../i18n/plural.js'
import { EN } from '../../i18n/strings.js'
import { AttachmentList, type LoadFile } from '../../ui/attachment-list.js'
import { MessageText } from '../../ui/message-text.js'
import { textLimitHint } from '../../ui/text-limit.js'
import { TimeStamp } from '../../ui/time-stamp.js'
import { useNow } from '../../ui/use-now.js'
import type { ComponentChildren } from 'preact'
import type { OfflineContact } from '@parley/sdk/contract'
import type { Chat } from '../state.js'
import { visitorLabel } from '../visitor-label.js'
import { AttachFiles } from './attach-files.js'
import { OfflineNote } from './offline-note.js'
import { useCannedComposer } from './use-canned-composer.js'
import type { CannedLibrary } from '../canned-library.js'
import { noteLimit, timeline, type NoteLine } from '../note-state.js'
import { NoteItem } from './note-item.js'
import { erasedNotice } from '../transcript-load.js'
import { ComposerMode } from './composer-mode.js'

/** Props of the chat on screen. */
export interface ChatViewProps {
  chat: Chat
  /** The offline form's contact when the visitor left a message nobody was there to answer live. */
  contact?: OfflineContact | null
  /** The name the visitor gave (offline form or pre-chat answers), shown instead of "Visitor xxxxxx". */
  name?: string | undefined
  /** The colleague I handed it to, or null while it is mine. */
  handedTo: string | null
  /** The transfer control (transfer-dialog.tsx), shown while the chat is mine and open. */
  transfer?: ComponentChildren
  /** Shown above the messages: the note a colleague left when handing the chat to me. */
  note?: ComponentChildren
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
  /** Canned replies for the composer (`/shortcut`), and who I am for their placeholders. */
  canned?: { library: CannedLibrary; agentId: string | null; agentName: string }
  /** The chat's internal notes, shown among the lines by time (agents only). */
  notes?: readonly NoteLine[]
  /** Writes an internal note; `retryId` sends a failed one again (absent: no "Note" switch). */
  onNote?: (text: string, retryId?: string) => void
}

/** The note on a chat the relay closed as quiet, by its minutes. */
const CLOSED_QUIET = { one: 'Closed after %s minute without a visitor message.', other: 'Closed after %s minutes without a visitor message.' }

/** The console speaks English; dates and times follow the agent's browser. */
const LOCALE = globalThis.navigator?.language ?? 'en'

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
export function ChatView({ chat, contact, name, handedTo, transfer, note, onSend, onSendFiles, load, onTyping, onClose, onDismiss, maxText, postSurvey, onRequestSurvey, canned, notes = [], onNote }: ChatViewProps) {
  const [text, setText] = useState('')
  const [noteMode, setNoting] = useState(false)
  // A closed chat takes notes still (the relay lets those who took part write them), never a reply.
  const noteOnly = chat.closed && onNote !== undefined
  const noting = noteMode || noteOnly
  const area = useRef<HTMLTextAreaElement>(null)
  const picker = useCannedComposer({ library: canned?.library, agentId: canned?.agentId ?? null, text, setText, area,
    values: { visitor: { name, email: contact?.email }, agent: { name: canned?.agentName } } })
  const now = useNow(30_000)
  // A note has its own limit (note.add), which the relay's reply limit may exceed.
  const hint = textLimitHint(text.trim(), noting ? noteLimit(maxText) : maxText)
  // "Seen" under my last line the visitor has read.
  const seenId = chat.visitorReadSeq > 0 ? chat.lines.filter((l) => !l.fromVisitor && l.seq !== null && l.seq <= chat.visitorReadSeq).at(-1)?.id : undefined
  const done = chat.closed || handedTo !== null
  const loading = chat.loading === true
  const list = useRef<HTMLDivElement>(null)
  useEffect(() => { if (list.current) list.current.scrollTop = list.current.scrollHeight }, [chat.lines.length, notes.length])
  const send = () => {
    if (loading || !text.trim() || hint.kind === 'over') return
    if (noting && onNote) onNote(text)
    else onSend(text)
    setText('')
  }
  return (
    <section class="chatview" aria-label={`Chat with ${name ?? visitorLabel(chat.visitorId)}`}>
      <header>
        <h2>{name ? <bdi>{name}</bdi> : visitorLabel(chat.visitorId)}</h2>
        {done ? <button type="button" onClick={onDismiss}>Remove from list</button> : loading ? null : (
          <>
            {transfer}
            {onRequestSurvey ? <SendSurvey postSurvey={postSurvey} sent={!!chat.surveyRequested}
              answered={chat.responses?.some((r) => r.kind === 'post') ?? false} offline={!!contact} onRequest={onRequestSurvey} /> : null}
            <button type="button" onClick={onClose}>Close chat</button>
          </>
        )}
      </header>
      {contact ? <OfflineNote contact={contact} /> : null}
      {note}
      <div ref={list} class="log" role="log" aria-live="polite" aria-label="Messages" tabIndex={0}><ol class="lines">
        {timeline(chat.lines, notes).map((item) => {
          if (item.kind === 'note') return <NoteItem key={`note-${item.note.id}`} note={item.note} now={now} locale={LOCALE} onRetry={(n) => onNote?.(n.text, n.id)} />
          const l = item.line
          return (
          <li key={l.id} class={l.fromVisitor ? 'them' : 'me'}>
            <span class="author">{l.author} · <TimeStamp at={l.at} now={now} locale={LOCALE} /></span>
            {l.text || !l.files ? <div class="bubble" dir="auto"><MessageText text={l.text} /></div> : null}
            {l.files && load ? <AttachmentList files={l.files} load={load} pending="Sending…" /> : null}
            {l.pending ? <span class="muted">Sending…</span> : null}
            {l.id === seenId ? <span class="muted seen">Seen</span> : null}
          </li>
          )
        })}
      </ol></div>
      <p class="typing" aria-live="polite">{loading ? 'Opening the conversation…' : chat.visitorTyping ? 'Visitor is typing…' : ''}</p>
      {chat.closed ? <p class="muted note" role="status">{chat.erasedAt !== undefined ? erasedNotice(chat.erasedAt) : chat.inactiveMin ? plural('en', CLOSED_QUIET, chat.inactiveMin) : 'This conversation has ended.'}</p>
        : handedTo !== null ? <p class="muted note" role="status">You handed this chat to {handedTo}.</p> : null}
      {handedTo !== null || (chat.closed && !noteOnly) ? null : (
        <form class={noting ? 'reply noting' : 'reply'} onSubmit={(e) => { e.preventDefault(); send() }}>
          {noteOnly ? <p class="note-label">Only agents see this</p> : onNote ? <ComposerMode note={noting} onChange={(n) => {
            // The visitor was told I am typing a reply: a note is not one, so they are told I stopped.
            if (n && text) onTyping(false)
            setNoting(n)
          }} /> : null}
          {/* Always there, so a screen reader hears the notice when it appears; polite, not an alert. */}
          <p class="mk muted" role="status" aria-live="polite">{chat.masked === 'card' ? EN.maskedCard : chat.masked ? EN.masked : ''}</p>
          <p id="reply-limit" class={hint.kind === 'over' ? 'limit error' : 'limit muted'} role="status" aria-live="polite">
            {hint.kind === 'left' ? plural('en', EN.charsLeft, hint.n) : hint.kind === 'over' ? plural('en', EN.charsOver, hint.n) : ''}
          </p>
          {picker.picker}
          <p class="sr-only" role="status" aria-live="polite">{picker.status}</p>
          <textarea ref={area} aria-label={noting ? 'Internal note' : 'Reply'} rows={2} value={text} disabled={loading} aria-describedby="reply-limit" aria-invalid={hint.kind === 'over' ? 'true' : undefined}
            onInput={(e) => { setText(e.currentTarget.value); if (!noting) onTyping(e.currentTarget.value.length > 0); picker.onInput(e.currentTarget) }}
            onClick={(e) => picker.onInput(e.currentTarget)} onKeyUp={(e) => { if (/^(ArrowLeft|ArrowRight|Home|End)$/.test(e.key)) picker.onInput(e.currentTarget) }}
            onKeyDown={(e) => { if (picker.onKeyDown(e)) return; if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send() } }}
            onPaste={(e) => { const files = [...(e.clipboardData?.files ?? [])]; if (files.length && onSendFiles && !noting) { e.preventDefault(); onSendFiles(files) } }} />
          {onSendFiles && !noting ? <AttachFiles onFiles={onSendFiles} disabled={loading} /> : null}
          <button type="submit" disabled={loading}>{noting ? 'Add note' : 'Send'}</button>
        </form>
      )}
    </section>
  )
}
