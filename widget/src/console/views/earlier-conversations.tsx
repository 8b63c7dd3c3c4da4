import { useEffect, useRef, useState } from 'preact/hooks'
import type { Conversation } from '@parley/sdk/contract'
import { visitorConversations } from '../api.js'
import { apiFailure } from '../api-failure.js'
import { EARLIER_PAGE, earlierThan, type HistoryOwner } from '../earlier-conversations.js'
import { loadTranscript, type LoadedTranscript } from '../transcript-load.js'
import { TranscriptArticle } from './transcript-article.js'
import { ModalDialog } from '../../ui/modal-dialog.js'

/** One earlier conversation in the list: date, status, topic, CSAT and how it began. */
function Earlier({ c, onOpen }: { c: Conversation; onOpen: () => void }) {
  return (
    <li>
      <button type="button" class="link" onClick={onOpen}>
        <span class="when">{new Date(c.createdAt).toLocaleDateString()}</span>
        <span class={`rb ${c.status === 'open' ? 'open-mark' : ''}`}>{c.status === 'open' ? 'open' : 'closed'}</span>
        {c.routing?.topic ? <span class="rb">Topic: <bdi>{c.routing.topic}</bdi></span> : null}
        {c.csat !== undefined ? <span class="rb">CSAT {c.csat}</span> : null}
        <span class="preview" dir="auto">{c.preview ? c.preview : 'No message yet'}</span>
      </button>
    </li>
  )
}

/** An opened earlier conversation over the console, read-only, until closed (Escape or the button). */
function TranscriptDialog({ token, loaded, onClose }: { token: string; loaded: LoadedTranscript; onClose: () => void }) {
  return (
    <ModalDialog class="transcript-dialog" label="Earlier conversation" onClose={onClose}>
      <div class="sheet">
        <button type="button" onClick={onClose}>Close transcript</button>
        <TranscriptArticle token={token} loaded={loaded} headingLevel={2} />
      </div>
    </ModalDialog>
  )
}

/** The visitor's other conversations, newest first, beside the chat; each opens as a read-only transcript. */
export function EarlierConversations({ token, owner, currentConvId, onAuthLost }: {
  token: string; owner: HistoryOwner; currentConvId: string; onAuthLost?: (code?: string) => void
}) {
  const [listed, setListed] = useState<Conversation[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [loading, setLoading] = useState(false)
  const [open, setOpen] = useState<LoadedTranscript | null>(null)
  const [error, setError] = useState<string | null>(null)
  // Answers that come back after the console moved to another chat (or unmounted this one) belong
  // to another visitor: they are dropped, as floor.tsx drops its late answers.
  const live = useRef(true)
  useEffect(() => () => { live.current = false }, [])
  const failed = apiFailure(onAuthLost, setError)
  const fail = (err: unknown) => { if (live.current) failed(err) }
  const read = async (before: string | null, known: Conversation[]) => {
    setLoading(true)
    try {
      const page = await visitorConversations(token, owner.visitorId, EARLIER_PAGE, before)
      if (!live.current) return
      setListed([...known, ...earlierThan(page.conversations, currentConvId)])
      setNext(page.next)
    } catch (err) { fail(err) }
    if (live.current) setLoading(false)
  }
  // Keyed by the chat (app.tsx), so a new chat is a new list: the first page is read once.
  useEffect(() => { void read(null, []) }, [])
  const show = async (c: Conversation) => {
    try {
      const loaded = await loadTranscript(token, c)
      if (live.current) setOpen(loaded)
    } catch (err) { fail(err) }
  }
  return (
    <section class="earlier" aria-labelledby="earlier-h">
      <h2 id="earlier-h">Earlier conversations</h2>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {listed === null ? <p class="muted">Loading…</p>
        : listed.length === 0 && !next ? <p class="muted">None: this is the visitor's first conversation.</p>
        : <ul class="results">{listed.map((c) => <Earlier key={c.convId} c={c} onOpen={() => void show(c)} />)}</ul>}
      {next ? <button type="button" disabled={loading} onClick={() => void read(next, listed ?? [])}>More</button> : null}
      {open ? <TranscriptDialog token={token} loaded={open} onClose={() => setOpen(null)} /> : null}
    </section>
  )
}
