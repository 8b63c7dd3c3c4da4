import { useState } from 'preact/hooks'
import type { Colleague, Conversation } from '@parley/sdk/contract'
import { searchTranscripts } from '../api.js'
import { apiFailure } from '../api-failure.js'
import { visitorLabel } from '../visitor-label.js'
import { loadTranscript, type LoadedTranscript } from '../transcript-load.js'
import { NO_FILTERS, type TranscriptFilters } from '../transcript-query.js'
import { plural } from '../../i18n/plural.js'
import { offlineContact } from '../offline-contact.js'
import { TranscriptArticle } from './transcript-article.js'
import { TranscriptFilterFields } from './transcript-filter-fields.js'

const MESSAGES = { one: '%s message', other: '%s messages' }

/** Conversations, open and closed, searchable by words of the transcript, visitor id, agent, topic, date and CSAT. */
export function Transcripts({ token, agents = [], onAuthLost }: { token: string; agents?: readonly Colleague[]; onAuthLost: (code?: string) => void }) {
  const [filters, setFilters] = useState<TranscriptFilters>(NO_FILTERS)
  const [results, setResults] = useState<Conversation[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  // The filters of the search on screen: More pages on under them, not under whatever was typed since.
  const [searched, setSearched] = useState<TranscriptFilters>(NO_FILTERS)
  const [open, setOpen] = useState<LoadedTranscript | null>(null)
  const [error, setError] = useState<string | null>(null)
  const fail = apiFailure(onAuthLost, setError)
  const search = async (f: TranscriptFilters, before: string | null) => {
    setError(null)
    setSearched(f)
    try {
      const page = await searchTranscripts(token, f, before)
      setResults(before ? [...(results ?? []), ...page.conversations] : page.conversations)
      setNext(page.next)
    } catch (err) { fail(err) }
  }
  const show = async (conv: Conversation) => {
    try { setOpen(await loadTranscript(token, conv)) } catch (err) { fail(err) }
  }
  return (
    <section class="transcripts" aria-labelledby="tr-h">
      <h2 id="tr-h">Transcripts</h2>
      <form role="search" onSubmit={(e) => { e.preventDefault(); void search(filters, null) }}>
        <label>Words<input type="search" value={filters.text} onInput={(e) => setFilters({ ...filters, text: e.currentTarget.value })} /></label>
        <label>Visitor id<input value={filters.visitorId} onInput={(e) => setFilters({ ...filters, visitorId: e.currentTarget.value })} /></label>
        <TranscriptFilterFields filters={filters} agents={agents} onChange={setFilters} />
        <button type="submit">Search</button>
      </form>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {results ? (
        <ul class="results">
          {results.length === 0 ? <li class="muted">No conversation matches.</li> : null}
          {results.map((c) => (
            <li key={c.convId}>
              <button type="button" class="link" onClick={() => void show(c)}>
                {new Date(c.createdAt).toLocaleString()} · {offlineContact(c) ? <>offline message from <bdi>{offlineContact(c)!.name}</bdi> &lt;<bdi>{offlineContact(c)!.email}</bdi>&gt;</> : <>{visitorLabel(c.visitorId)}</>} · {plural('en', MESSAGES, c.lastSeq)}
                {c.status === 'open' ? <span class="rb open-mark">open</span> : null}
                {c.csat !== undefined ? <> · CSAT {c.csat}</> : null}
                {c.preview ? <span class="preview" dir="auto">{c.preview}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {next ? <button type="button" onClick={() => void search(searched, next)}>More</button> : null}
      {open ? <TranscriptArticle token={token} loaded={open} /> : null}
    </section>
  )
}
