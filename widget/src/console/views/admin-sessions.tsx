import { useEffect, useState } from 'preact/hooks'
import type { SessionInfo } from '@parley/sdk/contract'
import { accounts, revokeSession, sessions } from '../admin-api.js'
import { adminFailure } from '../admin-failure.js'
import { parseUserAgent } from '../user-agent.js'
import { shortSessionId } from '../session-label.js'
import type { AdminPartProps } from './admin-part.js'

/** The brand's signed-in sessions, with who, when, from where and which browser; any can be revoked. */
export function AdminSessions({ token, onAuthLost }: AdminPartProps) {
  const [list, setList] = useState<SessionInfo[] | null>(null)
  const [names, setNames] = useState<Record<string, string>>({})
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const fail = adminFailure(onAuthLost, setError)
  const load = () => sessions(token).then((r) => setList(r.sessions), fail)
  useEffect(() => {
    void load()
    // Names beside the ids; without them the ids still say whose session it is.
    accounts(token).then((r) => setNames(Object.fromEntries(r.accounts.map((a) => [a.agentId, a.name]))), () => undefined)
  }, [token])
  const revoke = async (s: SessionInfo, who: string) => {
    setError(null)
    try {
      await revokeSession(token, s.sessionId)
      setDone(`The session ${shortSessionId(s.sessionId)} of ${who} was revoked.`)
    } catch (err) { fail(err) }
    await load()
  }
  return (
    <section aria-labelledby="ses-h">
      <h3 id="ses-h">Sessions</h3>
      {error ? <p class="error" role="alert">{error}</p> : null}
      <p class="muted" role="status">{done ?? ''}</p>
      {list === null ? <p class="muted">Loading sessions…</p> : list.length === 0 ? <p class="muted">No one is signed in.</p> : (
        <table class="admin-table">
          <caption>Signed-in sessions</caption>
          <thead><tr><th scope="col">Agent</th><th scope="col">Session</th><th scope="col">Signed in</th><th scope="col">Last seen</th><th scope="col">Address</th><th scope="col">Browser</th><th scope="col"><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {list.map((s) => {
              const who = names[s.agentId] ?? s.agentId
              const device = s.userAgent ? parseUserAgent(s.userAgent) : null
              return (
                <tr key={s.sessionId}>
                  <th scope="row"><bdi>{who}</bdi></th>
                  <td><code title={s.sessionId}>{shortSessionId(s.sessionId)}</code>{s.current ? <span class="tag-info"> (this session)</span> : null}</td>
                  <td>{new Date(s.createdAt).toLocaleString()}</td>
                  <td>{new Date(s.lastSeenAt).toLocaleString()}</td>
                  <td>{s.address ?? 'Not kept'}</td>
                  <td>{device ? `${device.browser}, ${device.os}` : 'Unknown'}</td>
                  <td><button type="button" aria-label={`Revoke the session of ${who} (${shortSessionId(s.sessionId)}) from ${new Date(s.createdAt).toLocaleString()}`} onClick={() => void revoke(s, who)}>Revoke</button></td>
                </tr>
              )
            })}
          </tbody>
        </table>
      )}
    </section>
  )
}
