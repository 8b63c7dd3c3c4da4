import { useState } from 'preact/hooks'
import { login } from '../api.js'
import { signInRefusal } from '../sign-in-refusal.js'
import type { AgentSession } from '@parley/sdk/contract'

/** The login form; the brand comes from `?brand=` or is typed in. `notice` says why the last session ended, if the relay ended it. */
export function Login({ brandId, notice = null, onSession }: { brandId: string; notice?: string | null; onSession: (s: AgentSession, brandId: string) => void }) {
  const [brand, setBrand] = useState(brandId)
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (e: Event) => {
    e.preventDefault()
    setBusy(true)
    setError(null)
    try {
      onSession(await login(brand.trim(), email.trim(), password), brand.trim())
    } catch (err) {
      setError(signInRefusal(err))
    } finally {
      setBusy(false)
    }
  }
  return (
    <main class="login">
      <h1>Parley console</h1>
      {notice ? <p class="notice" role="alert">{notice}</p> : null}
      <form onSubmit={submit}>
        {!brandId ? (<label>Brand id<input value={brand} required onInput={(e) => setBrand(e.currentTarget.value)} /></label>) : null}
        <label>E-mail<input type="email" autoComplete="username" value={email} required onInput={(e) => setEmail(e.currentTarget.value)} /></label>
        <label>Password<input type="password" autoComplete="current-password" value={password} required onInput={(e) => setPassword(e.currentTarget.value)} /></label>
        {error ? <p class="error" role="alert">{error}</p> : null}
        <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </main>
  )
}
