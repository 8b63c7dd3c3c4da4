import { useEffect, useState } from 'preact/hooks'
import { MAX_CANNED_TEXT, MAX_CANNED_TITLE, type CannedReply, type CannedScope } from '@parley/sdk/contract'
import { CANNED_PLACEHOLDERS, cannedShortcutOf, matchesCannedQuery } from '@parley/sdk/canned'
import type { CannedLibrary } from '../canned-library.js'
import { ApiError } from '../api.js'

// The "Canned replies" view: search, add, edit and delete the brand's replies and my own. Which is
// which is said on every row and in the form: a brand-wide reply is seen by every agent.

/** What a refused save or delete says to the agent, by the relay's code. */
function problemText(e: unknown): string {
  const code = e instanceof ApiError ? e.code : ''
  if (code === 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN') return 'That shortcut is already used in this scope. Choose another.'
  if (code === 'PARLEY_ERR_CANNED_LIMIT') return 'The brand keeps as many canned replies as it may. Delete one first.'
  if (code === 'PARLEY_ERR_CANNED_NOT_FOUND') return 'That reply no longer exists.'
  return e instanceof Error ? e.message : 'The reply could not be saved.'
}

interface Draft { replyId: string | null; scope: CannedScope; shortcut: string; title: string; text: string }

const EMPTY: Draft = { replyId: null, scope: 'personal', shortcut: '', title: '', text: '' }
const HELP = `Placeholders: ${CANNED_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}; a fallback after |, as in {visitor.name|there}.`

/** The form that adds a reply or changes one. */
function ReplyForm({ draft, brandWide, onSave, onCancel }: { draft: Draft; brandWide: boolean; onSave: (d: Draft) => Promise<void>; onCancel: () => void }) {
  const [d, setD] = useState(draft)
  const [problem, setProblem] = useState('')
  const [busy, setBusy] = useState(false)
  const editing = d.replyId !== null
  return (
    <form class="canned-form" aria-label={editing ? `Edit /${draft.shortcut}` : 'New canned reply'} onSubmit={(e) => {
      e.preventDefault()
      // The relay would refuse it with a bare schema error: say what a shortcut may be instead.
      const shortcut = cannedShortcutOf(d.shortcut)
      if (shortcut === null) return setProblem('A shortcut is up to 32 lowercase letters, digits, - and _, starting with a letter or digit.')
      setBusy(true)
      onSave({ ...d, shortcut }).then(() => setProblem(''), (err: unknown) => setProblem(problemText(err))).finally(() => setBusy(false))
    }}>
      {/* Brand-wide replies are a supervisor's to add (the relay refuses an agent's): agents add personal ones only. */}
      {editing || !brandWide ? <p class="muted">{d.scope === 'brand' ? 'Brand-wide: every agent sees this reply.' : 'Personal: only you see this reply.'}</p> : (
        <fieldset>
          <legend>Who sees it</legend>
          <label><input type="radio" name="canned-scope" checked={d.scope === 'personal'} onChange={() => setD({ ...d, scope: 'personal' })} /> Personal (only me)</label>
          <label><input type="radio" name="canned-scope" checked={d.scope === 'brand'} onChange={() => setD({ ...d, scope: 'brand' })} /> Brand-wide (every agent)</label>
        </fieldset>
      )}
      <label>Shortcut <input value={d.shortcut} required maxLength={33} aria-describedby="canned-shortcut-help"
        onInput={(e) => setD({ ...d, shortcut: e.currentTarget.value })} /></label>
      <span id="canned-shortcut-help" class="muted">Typed after / in the reply box: lowercase letters, digits, - and _ (a leading / is dropped).</span>
      <label>Title <input value={d.title} required maxLength={MAX_CANNED_TITLE} onInput={(e) => setD({ ...d, title: e.currentTarget.value })} /></label>
      <label>Text <textarea value={d.text} required maxLength={MAX_CANNED_TEXT} rows={4} aria-describedby="canned-text-help" onInput={(e) => setD({ ...d, text: e.currentTarget.value })} /></label>
      <span id="canned-text-help" class="muted">{HELP}</span>
      <p class="error" role="alert">{problem}</p>
      <div class="actions">
        <button type="submit" disabled={busy}>{editing ? 'Save changes' : 'Add reply'}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  )
}

/** One scope's replies, with edit and (confirmed) delete. */
function ReplyList({ label, replies, onEdit, onDelete }: { label: string; replies: CannedReply[]; onEdit?: ((r: CannedReply) => void) | undefined; onDelete?: ((r: CannedReply) => Promise<void>) | undefined }) {
  const [confirming, setConfirming] = useState<string | null>(null)
  return (
    <section aria-label={label}>
      <h3>{label} ({replies.length})</h3>
      {replies.length === 0 ? <p class="muted">None.</p> : (
        <ul class="canned-list">
          {replies.map((r) => (
            <li key={r.replyId}>
              <span class="sc">/{r.shortcut}</span> <strong>{r.title}</strong>
              {r.scope === 'personal' ? <span class="tag personal">Personal</span> : <span class="tag brand">Brand-wide</span>}
              <p class="muted" dir="auto">{r.text}</p>
              {onEdit ? <button type="button" aria-label={`Edit /${r.shortcut}`} onClick={() => onEdit(r)}>Edit</button> : null}
              {!onDelete ? null : confirming === r.replyId
                ? <button type="button" aria-label={`Really delete /${r.shortcut}`} onClick={() => void onDelete(r).finally(() => setConfirming(null))}>Really delete</button>
                : <button type="button" aria-label={`Delete /${r.shortcut}`} onClick={() => setConfirming(r.replyId)}>Delete</button>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** Search, add, edit and delete canned replies: my own, and the brand's when `brandWide` (my role manages them). */
export function CannedReplies({ library, brandWide = true }: { library: CannedLibrary; brandWide?: boolean }) {
  const [, tick] = useState(0)
  const [q, setQ] = useState('')
  const [draft, setDraft] = useState<Draft | null>(null)
  const [problem, setProblem] = useState('')
  useEffect(() => {
    void library.load(0)
    return library.subscribe(() => tick((n) => n + 1))
  }, [library])
  const shown = library.replies.filter((r) => matchesCannedQuery(r, q))
  const save = async (d: Draft) => {
    if (d.replyId) await library.update(d.replyId, { shortcut: d.shortcut, title: d.title, text: d.text })
    else await library.create({ scope: d.scope, shortcut: d.shortcut, title: d.title, text: d.text })
    setDraft(null)
  }
  const remove = (r: CannedReply) => library.remove(r.replyId).then(() => setProblem(''), (e: unknown) => setProblem(problemText(e)))
  const edit = (r: CannedReply) => setDraft({ replyId: r.replyId, scope: r.scope, shortcut: r.shortcut, title: r.title, text: r.text })
  return (
    <section class="canned" aria-label="Canned replies">
      <h2>Canned replies</h2>
      <p class="muted">Type / and a shortcut in a chat's reply box to insert one.</p>
      {library.failed ? <p class="error" role="alert">The canned replies could not be read.</p> : null}
      <div class="canned-bar">
        <label>Search <input type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} /></label>
        {draft ? null : <button type="button" onClick={() => setDraft(EMPTY)}>New reply</button>}
      </div>
      {draft ? <ReplyForm key={draft.replyId ?? 'new'} draft={draft} brandWide={brandWide} onSave={save} onCancel={() => setDraft(null)} /> : null}
      <p class="error" role="alert">{problem}</p>
      <ReplyList label="Personal (only you)" replies={shown.filter((r) => r.scope === 'personal')} onEdit={edit} onDelete={remove} />
      <ReplyList label="Brand-wide (every agent)" replies={shown.filter((r) => r.scope === 'brand')} onEdit={brandWide ? edit : undefined} onDelete={brandWide ? remove : undefined} />
    </section>
  )
}
