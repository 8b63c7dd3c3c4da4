import type { Availability } from '@parley/sdk/contract'

// The brand's availability (agents free, queue, country) for deployment rules: asked over plain
// HTTP every `pollMs` the relay names, only while the page is visible (no request from a tab in
// the background; one at once when it comes back), and no socket held open for it.

/** What the poll needs from the browser. */
export interface AvailabilityPollDeps {
  /** GET /v1/sites/:siteKey/availability */
  url: string
  fetch: typeof fetch
  doc: Pick<Document, 'visibilityState' | 'addEventListener'>
}

/** The longest wait after failed requests (they double it from the last pollMs). */
const MAX_BACKOFF_MS = 60_000

/** Polls while the page is visible; calls `onChange` with each answer that differs from the last. */
export function pollAvailability(deps: AvailabilityPollDeps, onChange: (a: Availability) => void): void {
  let timer: ReturnType<typeof setTimeout> | null = null
  let inFlight = false
  let last = ''
  let wait = 5000
  const visible = () => deps.doc.visibilityState === 'visible'
  const ask = async () => {
    timer = null
    if (inFlight || !visible()) return
    inFlight = true
    try {
      const res = await deps.fetch(deps.url, { credentials: 'omit', cache: 'no-store' })
      if (!res.ok) throw new Error(String(res.status))
      const a = (await res.json()) as Availability
      wait = Math.max(1000, a.pollMs)
      const { pollMs: _, ...facts } = a
      const key = JSON.stringify(facts)
      if (key !== last) {
        last = key
        onChange(a)
      }
    } catch {
      wait = Math.min(MAX_BACKOFF_MS, wait * 2)
    } finally {
      inFlight = false
    }
    if (visible()) timer = setTimeout(() => void ask(), wait)
  }
  deps.doc.addEventListener('visibilitychange', () => {
    if (!visible()) {
      if (timer !== null) clearTimeout(timer)
      timer = null
    } else if (timer === null) {
      void ask()
    }
  })
  void ask()
}
