import { web, type AbortSignalLike } from './web-globals.js'

/** setTimeout's largest delay; a longer one would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647

/** Waits `ms`, or rejects with the reason of the first of `signals` aborted meanwhile. */
export function sleep(ms: number, signals: readonly AbortSignalLike[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const first = signals.find((s) => s.aborted)
    if (first) return reject(first.reason)
    const onAbort = () => {
      web.clearTimeout(timer)
      for (const s of signals) s.removeEventListener('abort', onAbort)
      reject(signals.find((s) => s.aborted)?.reason)
    }
    const timer = web.setTimeout(() => {
      for (const s of signals) s.removeEventListener('abort', onAbort)
      resolve()
    }, Math.min(Math.max(0, ms), MAX_TIMER_MS))
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true })
  })
}
