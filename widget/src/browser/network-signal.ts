import type { NetworkSignal } from '@parley/sdk/connection'

/**
 * The browser's network hints for the connection client: `navigator.onLine` and the window's
 * `online`/`offline` events, which fire the moment the OS (or DevTools) drops the network, long
 * before a silent socket would notice.
 */
export function createBrowserNetwork(win: Window = window): NetworkSignal {
  return {
    isOnline: () => win.navigator.onLine !== false,
    subscribe(fn) {
      const online = () => fn(true)
      const offline = () => fn(false)
      win.addEventListener('online', online)
      win.addEventListener('offline', offline)
      return () => {
        win.removeEventListener('online', online)
        win.removeEventListener('offline', offline)
      }
    },
  }
}
