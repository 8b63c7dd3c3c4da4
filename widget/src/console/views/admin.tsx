import { useState } from 'preact/hooks'
import type { Role } from '@parley/sdk/contract'
import { adminParts, type AdminPart } from '../role-views.js'
import { AdminAccounts } from './admin-accounts.js'
import { AdminKeys } from './admin-keys.js'
import { AdminSessions } from './admin-sessions.js'
import { AdminAudit } from './admin-audit.js'
import type { AdminPartProps } from './admin-part.js'

const TITLE: Record<AdminPart, string> = { accounts: 'Accounts', keys: 'API keys', sessions: 'Sessions', audit: 'Audit log' }

/** The admin area: accounts, API keys, sessions and the audit log, each part as the role allows. */
export function Admin({ role, token, onAuthLost }: AdminPartProps & { role: Role }) {
  const parts = adminParts(role)
  const [part, setPart] = useState<AdminPart>(parts[0] ?? 'accounts')
  return (
    <section class="admin" aria-labelledby="admin-h">
      <h2 id="admin-h">Admin</h2>
      <nav aria-label="Admin parts" class="admin-parts">
        {parts.map((p) => (
          <button key={p} type="button" aria-current={p === part ? 'page' : undefined} class={p === part ? 'current' : ''} onClick={() => setPart(p)}>{TITLE[p]}</button>
        ))}
      </nav>
      {part === 'accounts' ? <AdminAccounts token={token} onAuthLost={onAuthLost} />
        : part === 'keys' ? <AdminKeys token={token} onAuthLost={onAuthLost} />
        : part === 'sessions' ? <AdminSessions token={token} onAuthLost={onAuthLost} />
        : <AdminAudit token={token} onAuthLost={onAuthLost} />}
    </section>
  )
}
