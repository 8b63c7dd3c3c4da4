import { useState } from 'preact/hooks'
import type { Conversation, StoredMessage, Survey, SurveyResponse } from '@parley/sdk/contract'
import { ApiError, responses as fetchResponses, searchTranscripts, surveyVersion, transcript } from '../api.js'
import { versionKey } from '../survey-answers.js'
import { RoutingBadges } from './routing-badges.js'
import { SurveyAnswers } from './survey-answers.js'
import { MessageText } from '../../ui/message-text.js'
import { AttachmentList } from '../../ui/attachment-list.js'
import { storedFiles } from '../../ui/shown-files.js'
import { downloadAttachment } from '../attachment-download.js'
import { plural } from '../../i18n/plural.js'
import { offlineContact } from '../offline-contact.js'

const MESSAGES = { one: '%s message', other: '%s messages' }

/** Closed conversations, searchable by words of the transcript and by visitor id. */
export function Transcripts({ token, onAuthLost }: { token: string; onAuthLost: () => void }) {
  const [text, setText] = useState('')
  const [visitorId, setVisitorId] = useState('')
  const [results, setResults] = useState<Conversation[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [open, setOpen] = useState<{ conv: Conversation; messages: StoredMessage[]; responses: SurveyResponse[] | null } | null>(null)
  const [surveys, setSurveys] = useState<Record<string, Survey>>({})
  const [error, setError] = useState<string | null>(null)
  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) onAuthLost()
    else setError((err as Error).message)
  }
  const search = async (before: string | null) => {
    setError(null)
    try {
      const page = await searchTranscripts(token, { text, visitorId, before })
      setResults(before ? [...(results ?? []), ...page.conversations] : page.conversations)
      setNext(page.next)
    } catch (err) { fail(err) }
  }
  const show = async (conv: Conversation) => {
    try {
      // The answers are read beside the pages; the transcript reads without them when they can't
      // be read (an older relay).
      const answersRead = fetchResponses(token, conv.convId).then((l) => l.responses, () => null)
      const messages: StoredMessage[] = []
      for (let after = 0; ;) {
        const page = await transcript(token, conv.convId, after)
        messages.push(...page.messages)
        if (!page.more || page.messages.length === 0) break
        after = page.messages[page.messages.length - 1]!.seq
      }
      const answers = await answersRead
      setOpen({ conv, messages, responses: answers })
      for (const r of answers ?? []) {
        const key = versionKey(r.surveyId, r.version)
        if (!surveys[key]) surveyVersion(token, r.surveyId, r.version).then((v) => setSurveys((known) => ({ ...known, [key]: v })), () => undefined)
      }
    } catch (err) { fail(err) }
  }
  return (
    <section class="transcripts" aria-labelledby="tr-h">
      <h2 id="tr-h">Transcripts</h2>
      <form role="search" onSubmit={(e) => { e.preventDefault(); void search(null) }}>
        <label>Words<input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} /></label>
        <label>Visitor id<input value={visitorId} onInput={(e) => setVisitorId(e.currentTarget.value)} /></label>
        <button type="submit">Search</button>
      </form>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {results ? (
        <ul class="results">
          {results.length === 0 ? <li class="muted">No closed conversation matches.</li> : null}
          {results.map((c) => (
            <li key={c.convId}>
              <button type="button" class="link" onClick={() => void show(c)}>
                {new Date(c.createdAt).toLocaleString()} · {offlineContact(c) ? <>offline message from <bdi>{offlineContact(c)!.name}</bdi> &lt;<bdi>{offlineContact(c)!.email}</bdi>&gt;</> : <>visitor {c.visitorId.slice(-6)}</>} · {plural('en', MESSAGES, c.lastSeq)}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {next ? <button type="button" onClick={() => void search(next)}>More</button> : null}
      {open ? (
        <article class="transcript" aria-label="Transcript">
          <h3>Conversation {open.conv.convId}</h3>
          <RoutingBadges routing={open.conv.routing} />
          {open.responses && open.responses.length > 0 ? (
            <section class="survey-answers" aria-label="Survey answers"><SurveyAnswers responses={open.responses} surveys={surveys} level={4} /></section>
          ) : null}
          <ol class="lines">
            {open.messages.map((m) => (
              <li key={m.seq} class={m.from.kind === 'visitor' ? 'them' : 'me'}>
                <span class="author">{m.from.kind === 'visitor' ? 'Visitor' : m.from.name ?? 'Agent'} · {new Date(m.at).toLocaleTimeString()}</span>
                {m.text || !m.attachments?.length ? <div class="bubble" dir="auto"><MessageText text={m.text} /></div> : null}
                {m.attachments?.length
                  ? <AttachmentList files={storedFiles(m.attachments)!} load={(id, part) => downloadAttachment(token, id, part)} pending="" /> : null}
              </li>
            ))}
          </ol>
        </article>
      ) : null}
    </section>
  )
}
