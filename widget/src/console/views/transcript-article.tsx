import { useEffect, useState } from 'preact/hooks'
import type { Survey } from '@parley/sdk/contract'
import { surveyVersion } from '../api.js'
import { versionKey } from '../survey-answers.js'
import { erasedNotice, type LoadedTranscript } from '../transcript-load.js'
import { timeline } from '../note-state.js'
import { NoteItem } from './note-item.js'
import { MessageText } from '../../ui/message-text.js'
import { RoutingBadges } from './routing-badges.js'
import { SurveyAnswers } from './survey-answers.js'
import { AttachmentList } from '../../ui/attachment-list.js'
import { storedFiles } from '../../ui/shown-files.js'
import { downloadAttachment } from '../attachment-download.js'

/** A conversation as a read-only transcript: routing, survey answers (by the versions answered), every line and note. */
export function TranscriptArticle({ token, loaded, headingLevel = 3 }: { token: string; loaded: LoadedTranscript; headingLevel?: 2 | 3 }) {
  const [surveys, setSurveys] = useState<Record<string, Survey>>({})
  useEffect(() => {
    for (const r of loaded.responses ?? []) {
      const key = versionKey(r.surveyId, r.version)
      surveyVersion(token, r.surveyId, r.version).then((v) => setSurveys((known) => ({ ...known, [key]: v })), () => undefined)
    }
  }, [token, loaded])
  const { conv } = loaded
  const Heading = headingLevel === 2 ? 'h2' : 'h3'
  return (
    <article class="transcript" aria-label="Transcript">
      <Heading>Conversation {conv.convId}{conv.status === 'open' ? ' (open)' : ''}</Heading>
      <RoutingBadges routing={conv.routing} />
      {loaded.responses && loaded.responses.length > 0 ? (
        <section class="survey-answers" aria-label="Survey answers"><SurveyAnswers responses={loaded.responses} surveys={surveys} level={4} /></section>
      ) : null}
      <ol class="lines">
        {timeline(loaded.messages, loaded.notes).map((item) => {
          if (item.kind === 'note') return <NoteItem key={`note-${item.note.id}`} note={item.note} now={Date.now()} locale={navigator.language} onRetry={() => undefined} />
          const m = item.line
          return (
          <li key={m.seq} class={m.from.kind === 'visitor' ? 'them' : 'me'}>
            <span class="author">{m.from.kind === 'visitor' ? 'Visitor' : m.from.name ?? 'Agent'} · {new Date(m.at).toLocaleString()}</span>
            {m.text || !m.attachments?.length ? <div class="bubble" dir="auto"><MessageText text={m.text} /></div> : null}
            {m.attachments?.length
              ? <AttachmentList files={storedFiles(m.attachments)!} load={(id, part) => downloadAttachment(token, id, part)} pending="" /> : null}
          </li>
          )
        })}
      </ol>
      {conv.erasedAt !== undefined ? <p class="muted note" role="status">{erasedNotice(conv.erasedAt)}</p> : null}
    </article>
  )
}
