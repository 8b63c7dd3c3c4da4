import type { AgentPresence } from '@parley/sdk/contract'
import type { ConsoleController } from './controller.js'
import { IdleWatch } from './idle-watch.js'

// Wires the idle watch to the page: activity is any pointer, key, wheel or focus event in the
// console, and the agent's own presence comes from the controller's state.

const ACTIVITY = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'focus'] as const
/** Tabs of the console tell each other of activity at most this often, so an idle tab doesn't set away an agent busy in another. */
const SHARE_EVERY_MS = 10_000

/** Starts the automatic away for the signed-in agent; returns the function that stops it. */
export function watchIdle(controller: ConsoleController, win: Window = window): () => void {
  const watch = new IdleWatch(
    { now: () => Date.now(), setTimeout: (fn, ms) => win.setTimeout(fn, ms), clearTimeout: (h) => win.clearTimeout(h as number) },
    { onAway: () => void controller.setStatus({ status: 'away', auto: true }), onBack: () => void controller.setStatus({ status: 'available' }) },
    // Nothing runs until the relay says the agent's status and minutes (watch.update).
    0,
  )
  let seen: AgentPresence | undefined
  const unsubscribe = controller.subscribe(() => {
    const me = controller.me
    if (me && me !== seen) watch.update(me)
    seen = me
  })
  const tabs = typeof BroadcastChannel === 'function' ? new BroadcastChannel('parley-console-activity') : null
  let sharedAt = 0
  const onActivity = () => {
    watch.activity()
    const now = Date.now()
    if (tabs && now - sharedAt >= SHARE_EVERY_MS) { sharedAt = now; tabs.postMessage(1) }
  }
  if (tabs) tabs.onmessage = () => watch.activity(true)
  for (const type of ACTIVITY) win.addEventListener(type, onActivity, { passive: true, capture: true })
  return () => {
    unsubscribe()
    watch.stop()
    tabs?.close()
    for (const type of ACTIVITY) win.removeEventListener(type, onActivity, { capture: true })
  }
}
