import type { Page } from 'playwright-core'

// Headless Chromium pages are always "visible"; browser tests that check what the widget does on a
// hidden page (badge, title notice, paused timers) switch the page's visibility themselves.

/** An init script that makes `document.visibilityState` and `document.hidden` switchable. */
export const PAGE_VISIBILITY_SCRIPT = `(() => {
  let hidden = false
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') })
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => hidden })
  window.__setHidden = (h) => { hidden = h; document.dispatchEvent(new Event('visibilitychange')) }
})()`

/** Hides or shows a page that loaded PAGE_VISIBILITY_SCRIPT, firing `visibilitychange`. */
export async function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((h) => (window as unknown as { __setHidden: (h: boolean) => void }).__setHidden(h), hidden)
}
