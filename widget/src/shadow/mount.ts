// The widget lives in a shadow root on the brand's page: the brand's CSS cannot reach in, ours
// cannot leak out, and storage stays first-party to the brand's origin. Styles go in as a
// constructed stylesheet where supported, so a page whose CSP has no 'unsafe-inline' still works.

/** The host element and the node to render into. */
export interface Mounted {
  host: HTMLElement
  root: HTMLElement
}

/** Creates the host element at the end of <body>, with `css` applied inside its shadow root. */
export function mountShadow(css: string, vars: Record<string, string>): Mounted {
  const host = document.createElement('parley-chat')
  // The host itself is the one element the page's CSS can reach: reset everything on it, with an
  // inline `!important` that outranks even the page's `!important` rules (`* { display: none !important }`).
  const hs = host.style
  const hostStyle = { all: 'initial', display: 'block', position: 'fixed', 'z-index': '2147483000', inset: 'auto 0 0 auto', ...vars }
  for (const [k, v] of Object.entries(hostStyle)) hs.setProperty(k, v, 'important')
  const shadow = host.attachShadow({ mode: 'open' })
  if ('adoptedStyleSheets' in shadow && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet()
    sheet.replaceSync(css)
    shadow.adoptedStyleSheets = [sheet]
  } else {
    const style = document.createElement('style')
    style.textContent = css
    shadow.appendChild(style)
  }
  const root = document.createElement('div')
  root.className = 'p'
  shadow.appendChild(root)
  document.body.appendChild(host)
  return { host, root }
}
