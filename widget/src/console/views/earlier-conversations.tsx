import { useEffect, useState } from 'preact/hooks'
import type { Conversation } from '@parley/sdk/contract'
import { ApiError, visitorConversations } from '../api.js'
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
  token: string; owner: HistoryOwner; currentConvId: string; onAuthLost?: () => void
}) {
  const [listed, setListed] = useState<Conversation[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [open, setOpen] = useState<LoadedTranscript | null>(null)
  const [error, setError] = useState<string | null>(null)
  const fail = (err: unknown) => {
    if (err instanceof ApiError && err.status === 401) onAuthLost?.()
    else setError((err as Error).message)
  }
  const read = async (before: string | null, known: Conversation[]) => {
    try {
      const page = await visitorConversations(token, owner.visitorId, EARLIER_PAGE, before)
      setListed([...known, ...earlierThan(page.conversations, currentConvId)])
      setNext(page.next)
    } catch (err) { fail(err) }
  }
  useEffect(() => {
    setListed(null)
    setOpen(null)
    setError(null)
    void read(null, [])
  }, [token, owner.visitorId, currentConvId])
  const show = async (c: Conversation) => {
    try { setOpen(await loadTranscript(token, c)) } catch (err) { fail(err) }
  }
  return (
    <section class="earlier" aria-labelledby="earlier-h">
      <h2 id="earlier-h">Earlier conversations</h2>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {listed === null ? <p class="muted">Loading…</p>
        : listed.length === 0 && !next ? <p class="muted">None: this is the visitor's first conversation.</p>
        : <ul class="results">{listed.map((c) => <Earlier key={c.convId} c={c} onOpen={() => void show(c)} />)}</ul>}
      {next ? <button type="button" onClick={() => void read(next, listed ?? [])}>More</button> : null}
      {open ? <TranscriptDialog token={token} loaded={open} onClose={() => setOpen(null)} /> : null}
    </section>
  )
}
