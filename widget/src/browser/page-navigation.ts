// Single-page apps change the URL without a load: through the History API (pushState,
// replaceState), the back and forward buttons (popstate) and the fragment (hashchange). The
// widget follows all four to re-decide its deployment rules per page.

/**
 * Calls `fn` after every URL change that loads no page. History has no event for pushState and
 * replaceState, so both are wrapped (keeping any wrapper the page put there first). `fn` runs in a
 * later task, once the app has rendered its page and set its title.
 */
export function watchNavigation(win: Window, fn: () => void): void {
  const later = () => void setTimeout(fn)
  const h = win.history
  for (const name of ['pushState', 'replaceState'] as const) {
    const original = h[name]
    h[name] = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      later()
      return result
    }
  }
  win.addEventListener('popstate', later)
  win.addEventListener('hashchange', later)
}
