import { render } from 'preact'
import { useState } from 'preact/hooks'
import type { AgentSession } from '@parley/sdk/contract'
import { createIdbStorage } from '../browser/idb-storage.js'
import { createBrowserNetwork } from '../browser/network-signal.js'
import { conversation, masking, presence, responses, setStatus, signOut, surveys, surveyVersion } from './api.js'
import { signedOutMessage } from './signed-out.js'
import { LEAST_ROLE } from './role-views.js'
import { watchIdle } from './idle-dom.js'
import { ConsoleController } from './controller.js'
import { ConsoleApp } from './app.js'
import { Login } from './views/login.js'
import './console.css'
// uPlot's own rules (axes, canvas placement), in the console's one stylesheet with ours.
import 'uplot/dist/uPlot.min.css'

// The console's composition root: session in sessionStorage (gone with the tab), the agent's
// outbox in IndexedDB (an unsent reply survives a reload), the socket on this same origin.

const SESSION_KEY = 'parley-console-session'
const storage = createIdbStorage('parley-console')

interface Saved { session: AgentSession; brandId: string }

function loadSaved(): Saved | null {
  try {
    const s = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Saved | null
    return s && s.session.expiresAt > Date.now() ? s : null
  } catch {
    return null
  }
}

async function startController(s: Saved): Promise<ConsoleController> {
  const prefix = `agent:${s.session.agent.agentId}:`
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/v1/live`
  const token = s.session.token
  const controller = new ConsoleController({
    token, url, WebSocket, storage, storagePrefix: prefix, network: createBrowserNetwork(), masking: masking(token),
    availability: { presence: () => presence(token), setStatus: (body) => setStatus(token, body) },
    conversation: (convId) => conversation(token, convId),
    surveys: { config: () => surveys(token), version: (id, v) => surveyVersion(token, id, v), responses: (convId) => responses(token, convId) },
  })
  stopIdle = watchIdle(controller)
  return controller
}

/** Stops the automatic away of the agent signed in (at sign-out). */
let stopIdle = (): void => {}

function Root() {
  const [saved, setSaved] = useState<Saved | null>(loadSaved)
  const [controller, setController] = useState<ConsoleController | null>(null)
  /** Why the last session ended, for the sign-in form ("This account was deactivated"). */
  const [notice, setNotice] = useState<string | null>(null)
  const brandId = new URLSearchParams(location.search).get('brand') ?? ''
  if (saved && !controller) void startController(saved).then(setController)
  if (!saved) {
    return <Login brandId={brandId} notice={notice} onSession={(session, b) => {
      const s = { session, brandId: b }
      sessionStorage.setItem(SESSION_KEY, JSON.stringify(s))
      setNotice(null)
      setSaved(s)
    }} />
  }
  if (!controller) return <p class="muted">Connecting…</p>
  /** Forgets the session here: the stored token, the idle timer and the live connection. */
  const forget = (message: string | null) => {
    sessionStorage.removeItem(SESSION_KEY)
    stopIdle()
    void controller.stop()
    setController(null)
    setNotice(message)
    setSaved(null)
  }
  return <ConsoleApp controller={controller} token={saved.session.token} agentName={saved.session.agent.name} role={saved.session.agent.role ?? LEAST_ROLE}
    onLogout={async () => {
      // The connection goes first, so the relay's close of a revoked session is not taken for an
      // eviction; then the relay revokes the token (on every node) before it is forgotten here. Offline
      // or refused, it is forgotten all the same: the token expires on its own.
      stopIdle()
      await controller.stop()
      await signOut(saved.session.token).catch(() => undefined)
      forget(null)
    }}
    onSignedOut={(code) => forget(signedOutMessage(code ?? 'PARLEY_ERR_AUTH_REQUIRED'))} />
}

render(<Root />, document.getElementById('app')!)
