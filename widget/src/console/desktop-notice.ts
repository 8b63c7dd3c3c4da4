import type { Notice } from './notice-rules.js'

// Desktop notifications through the browser's Notifications API. Permission is asked only when the
// agent clicks "Enable desktop notifications" (browsers ignore or punish a request on page load).

/** The browser's answer so far: `unsupported` where the API is missing. */
export type DesktopPermission = NotificationPermission | 'unsupported'

/** Whether the browser may show notifications now. */
export function desktopPermission(): DesktopPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission
}

/** Asks the browser (from a click) to allow notifications; resolves its answer. */
export async function askDesktopPermission(): Promise<DesktopPermission> {
  if (typeof Notification === 'undefined') return 'unsupported'
  return Notification.requestPermission()
}

/** Shows `notice` on the desktop when allowed; clicking it brings the console forward and calls `onOpen`. */
export function showDesktopNotice(notice: Notice, onOpen: (convId: string) => void): void {
  if (desktopPermission() !== 'granted') return
  try {
    // One per chat: a second message replaces the first instead of stacking.
    const n = new Notification(notice.title, { body: notice.body, tag: `parley-${notice.convId}` })
    n.onclick = () => {
      window.focus()
      onOpen(notice.convId)
      n.close()
    }
  } catch { /* e.g. a mobile browser that only allows them from a service worker */ }
}
