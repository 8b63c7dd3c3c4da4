// The loader the brand's script tag fetches: tiny, no Preact. It defines the one global `Parley`,
// keeps every command (including those queued before it arrived), and loads the widget in idle
// time after the page has loaded, or at once when the page asks to open the chat. It never blocks
// the page and never throws into it.

interface ParleyStub {
  (...args: unknown[]): void
  q?: IArguments[] | unknown[][]
  site?: string | null
  base?: string
  loaded?: boolean
}

;(function (w: Window & { Parley?: ParleyStub }, d: Document) {
  const prior = w.Parley
  if (prior && prior.loaded !== undefined) return // loaded twice: keep the first
  const script = (d.currentScript as HTMLScriptElement | null) ?? [...d.querySelectorAll<HTMLScriptElement>('script[src]')].find((s) => /\/parley\.js(\?|#|$)/.test(s.src))
  if (!script) return
  const queue: unknown[][] = (prior?.q ? [...prior.q] : []).map((a) => Array.prototype.slice.call(a) as unknown[])
  const api: ParleyStub = function (...args: unknown[]) {
    queue.push(args)
    if (args[0] === 'open') load()
  }
  api.q = queue
  api.site = script.getAttribute('data-site')
  api.base = new URL(script.src, location.href).origin
  api.loaded = false
  w.Parley = api

  function load(): void {
    if (api.loaded) return
    api.loaded = true
    import(`${api.base}/w/consumer.js`).catch(() => { api.loaded = false })
  }
  const idle = () => ('requestIdleCallback' in w ? w.requestIdleCallback(load, { timeout: 4000 }) : setTimeout(load, 200))
  if (queue.some((a) => a[0] === 'open')) load()
  else if (d.readyState === 'complete') idle()
  else w.addEventListener('load', idle, { once: true })
})(window, document)
