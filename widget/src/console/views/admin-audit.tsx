import { useEffect, useState } from 'preact/hooks'
import { AUDIT_ACTIONS, type AuditEntry } from '@parley/sdk/contract'
import { auditLog } from '../admin-api.js'
import { adminFailure } from '../admin-failure.js'
import { auditQuery, NO_FILTERS, type AuditFilters } from '../audit-filter.js'
import type { AdminPartProps } from './admin-part.js'

/** Who did it, as the log says: `agent:ID`, `key:ID`, `system`. */
function actorOf(e: AuditEntry): string {
  return e.actor.id ? `${e.actor.kind}:${e.actor.id}` : e.actor.kind
}

/** The brand's audit log, newest first, filtered by actor, action and time; "Older" pages on. */
export function AdminAudit({ token, onAuthLost }: AdminPartProps) {
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS)
  // The filters of the page on screen: "Older" goes on under them, not under what was typed since.
  const [shown, setShown] = useState<AuditFilters>(NO_FILTERS)
  const [entries, setEntries] = useState<AuditEntry[] | null>(null)
  const [next, setNext] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const fail = adminFailure(onAuthLost, setError)
  const read = async (f: AuditFilters, cursor: string | null) => {
    setError(null)
    try {
      const page = await auditLog(token, auditQuery(f, cursor))
      setShown(f)
      setEntries(cursor ? [...(entries ?? []), ...page.entries] : page.entries)
      setNext(page.next)
    } catch (err) { fail(err) }
  }
  useEffect(() => { void read(NO_FILTERS, null) }, [token])
  const field = (k: keyof AuditFilters) => (e: Event) => setFilters({ ...filters, [k]: (e.currentTarget as HTMLInputElement).value })
  return (
    <section aria-labelledby="audit-h">
      <h3 id="audit-h">Audit log</h3>
      <form class="admin-form inline" role="search" aria-label="Filter the audit log" onSubmit={(e) => { e.preventDefault(); void read(filters, null) }}>
        <label>Actor<input value={filters.actor} placeholder="agent:ID, key:ID, system" onInput={field('actor')} /></label>
        <label>Action
          <select value={filters.action} onChange={field('action')}>
            <option value="">Any</option>
            {AUDIT_ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        <label>From<input type="datetime-local" value={filters.from} onInput={field('from')} /></label>
        <label>To<input type="datetime-local" value={filters.to} onInput={field('to')} /></label>
        <button type="submit">Filter</button>
      </form>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {entries === null ? <p class="muted">Loading the audit log…</p> : entries.length === 0 ? <p class="muted">No entries.</p> : (
        <table class="admin-table">
          <caption>Audit entries, newest first</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Resource</th><th scope="col">Outcome</th><th scope="col">Address</th></tr></thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.entryId}>
                <td>{new Date(e.at).toLocaleString()}</td>
                <td><code>{actorOf(e)}</code></td>
                <th scope="row">{e.action}</th>
                <td>{e.resource ? <code>{e.resource.type}{e.resource.id ? `:${e.resource.id}` : ''}</code> : '—'}</td>
                <td>{e.outcome}{e.code ? <> (<code>{e.code}</code>)</> : null}</td>
                <td>{e.address ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next ? <button type="button" class="more" onClick={() => void read(shown, next)}>Older</button> : null}
    </section>
  )
}
