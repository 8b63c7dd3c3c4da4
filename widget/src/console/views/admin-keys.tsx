import { useEffect, useRef, useState } from 'preact/hooks'
import { SCOPES, type ApiKey, type CreatedApiKey, type Scope } from '@parley/sdk/contract'
import { apiKeys, createApiKey, revokeApiKey, rotateApiKey } from '../admin-api.js'
import { adminFailure } from '../admin-failure.js'
import { keyStatus, expiryOf } from '../key-status.js'
import type { AdminPartProps } from './admin-part.js'
import { SecretOnce } from './secret-once.js'

/** The brand's API keys: create one with scopes and an expiry (its secret shown once), rotate, revoke. */
export function AdminKeys({ token, onAuthLost }: AdminPartProps) {
  const [list, setList] = useState<ApiKey[] | null>(null)
  const [name, setName] = useState('')
  const [scopes, setScopes] = useState<Scope[]>([])
  const [expires, setExpires] = useState('')
  const [secret, setSecret] = useState<CreatedApiKey | null>(null)
  const [confirming, setConfirming] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const fail = adminFailure(onAuthLost, setError)
  const load = () => apiKeys(token).then((r) => setList(r.keys), fail)
  useEffect(() => { void load() }, [token])
  // One change at a time: a second click on Create or Rotate while the first runs would make a
  // second key whose secret is never shown. The ref refuses a click before the re-render disables.
  const [busy, setBusy] = useState(false)
  const running = useRef(false)
  const run = async (f: () => Promise<void>) => {
    if (running.current) return
    running.current = true
    setBusy(true)
    setError(null)
    try { await f() } catch (err) { fail(err) }
    await load()
    running.current = false
    setBusy(false)
  }
  const create = (e: Event) => {
    e.preventDefault()
    if (running.current) return
    if (scopes.length === 0) { setError('Choose at least one scope.'); return }
    const expiresAt = expiryOf(expires)
    if (expires && expiresAt === null) { setError('The expiry must be a date in the future.'); return }
    void run(async () => {
      setSecret(await createApiKey(token, { name: name.trim(), scopes, ...(expiresAt !== null ? { expiresAt } : {}) }))
      setName('')
      setScopes([])
      setExpires('')
    })
  }
  const now = Date.now()
  return (
    <section aria-labelledby="keys-h">
      <h3 id="keys-h">API keys</h3>
      {error ? <p class="error" role="alert">{error}</p> : null}
      {secret ? <SecretOnce created={secret} onDone={() => setSecret(null)} /> : null}
      {list === null ? <p class="muted">Loading keys…</p> : list.length === 0 ? <p class="muted">No API keys.</p> : (
        <table class="admin-table">
          <caption>API keys</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Key</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Status</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {list.map((k) => {
              const status = keyStatus(k, now)
              return (
                <tr key={k.keyId}>
                  <th scope="row"><bdi>{k.name}</bdi></th>
                  <td><code>{k.prefix}…</code></td>
                  <td>{k.scopes.join(', ')}</td>
                  <td>{new Date(k.createdAt).toLocaleString()}</td>
                  <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : 'Never'}</td>
                  <td>{status}</td>
                  <td>
                    {k.revokedAt === null && status !== 'Expired' ? (confirming === k.keyId ? (
                      <span role="group" aria-label={`Revoke ${k.name}?`}>
                        <span>Revoke? Clients using it are refused at once.</span>
                        <button type="button" disabled={busy} onClick={() => { setConfirming(null); void run(() => revokeApiKey(token, k.keyId)) }}>Yes, revoke {k.name}</button>
                        <button type="button" onClick={() => setConfirming(null)}>Cancel</button>
                      </span>
                    ) : (
                      <>
                        {k.replacedBy !== null ? null : <button type="button" aria-label={`Rotate ${k.name}`} disabled={busy} onClick={() => void run(async () => { setSecret(await rotateApiKey(token, k.keyId)) })}>Rotate</button>}
                        <button type="button" aria-label={`Revoke ${k.name}`} onClick={() => setConfirming(k.keyId)}>Revoke</button>
                      </>
                    )) : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
      <form class="admin-form" onSubmit={create} aria-labelledby="key-new-h">
        <h4 id="key-new-h">New API key</h4>
        <label>Key name<input value={name} required maxLength={128} onInput={(e) => setName(e.currentTarget.value)} /></label>
        <fieldset>
          <legend>Scopes</legend>
          {SCOPES.map((s) => (
            <label key={s} class="check"><input type="checkbox" checked={scopes.includes(s)}
              onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s] : scopes.filter((x) => x !== s))} /> {s}</label>
          ))}
        </fieldset>
        <label>Expires (optional)<input type="date" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} /></label>
        <button type="submit" disabled={busy}>Create key</button>
      </form>
    </section>
  )
}
