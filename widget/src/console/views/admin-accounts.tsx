import { useEffect, useState } from 'preact/hooks'
import { ROLES, type Account, type Role } from '@parley/sdk/contract'
import { accounts, createAccount, updateAccount } from '../admin-api.js'
import { adminFailure } from '../admin-failure.js'
import type { AdminPartProps } from './admin-part.js'

const BLANK = { name: '', email: '', password: '', role: 'agent' as Role }

/** The brand's agent accounts: create one with a role, change roles, deactivate and reactivate. */
export function AdminAccounts({ token, onAuthLost }: AdminPartProps) {
  const [list, setList] = useState<Account[] | null>(null)
  const [draft, setDraft] = useState(BLANK)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const fail = adminFailure(onAuthLost, (m) => { setDone(null); setError(m) })
  const load = () => accounts(token).then((r) => setList(r.accounts), fail)
  useEffect(() => { void load() }, [token])
  /** Runs a change, then says so and lists the accounts again; whether the relay made it. */
  const change = async (run: () => Promise<unknown>, said: string): Promise<boolean> => {
    setError(null)
    try {
      await run()
      setDone(said)
      await load()
      return true
    } catch (err) {
      fail(err)
      // A refused change (the last admin, say) shows the account as it still is.
      await load()
      return false
    }
  }
  const create = (e: Event) => {
    e.preventDefault()
    const body = { name: draft.name.trim(), email: draft.email.trim(), password: draft.password, role: draft.role }
    void change(() => createAccount(token, body), `Account ${body.name} created (${body.role}).`)
      // A refused create (the e-mail taken, say) keeps what was typed, to correct and send again.
      .then((made) => { if (made) setDraft(BLANK) })
  }
  return (
    <section aria-labelledby="acc-h">
      <h3 id="acc-h">Accounts</h3>
      {error ? <p class="error" role="alert">{error}</p> : null}
      <p class="muted" role="status">{done ?? ''}</p>
      {list === null ? <p class="muted">Loading accounts…</p> : (
        <table class="admin-table">
          <caption>Agent accounts</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">E-mail</th><th scope="col">Role</th><th scope="col">Status</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.agentId}>
                <th scope="row"><bdi>{a.name}</bdi></th>
                <td><bdi>{a.email}</bdi></td>
                <td>
                  <select aria-label={`Role of ${a.name}`} value={a.role}
                    onChange={(e) => { const role = e.currentTarget.value as Role; void change(() => updateAccount(token, a.agentId, { role }), `${a.name} is now ${role}.`) }}>
                    {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
                  </select>
                </td>
                <td>{a.active ? 'Active' : 'Deactivated'}</td>
                <td>
                  {a.active
                    ? <button type="button" onClick={() => void change(() => updateAccount(token, a.agentId, { active: false }), `${a.name} was deactivated and signed out.`)} aria-label={`Deactivate ${a.name}`}>Deactivate</button>
                    : <button type="button" onClick={() => void change(() => updateAccount(token, a.agentId, { active: true }), `${a.name} was reactivated.`)} aria-label={`Reactivate ${a.name}`}>Reactivate</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form class="admin-form" onSubmit={create} aria-labelledby="acc-new-h">
        <h4 id="acc-new-h">New account</h4>
        <label>Name<input value={draft.name} required maxLength={128} onInput={(e) => setDraft({ ...draft, name: e.currentTarget.value })} /></label>
        <label>E-mail<input type="email" value={draft.email} required onInput={(e) => setDraft({ ...draft, email: e.currentTarget.value })} /></label>
        <label>Password<input type="password" autoComplete="new-password" value={draft.password} required minLength={8} onInput={(e) => setDraft({ ...draft, password: e.currentTarget.value })} /></label>
        <label>Role
          <select value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.currentTarget.value as Role })}>
            {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <button type="submit">Create account</button>
      </form>
    </section>
  )
}
