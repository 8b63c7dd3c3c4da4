import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FAVICON, FAVICON_HEADERS } from './favicon.js'

// The demo brand's web site for `npm start`: the pages of examples/brand-site, with the script tag
// pointing at this relay, served on a second origin (the next port) so the widget runs cross-origin
// exactly as on a real brand's site. Every page is served under the strict Content-Security-Policy
// that docs/widget.md recommends (no 'unsafe-inline', no 'unsafe-eval'), so the demo proves the
// widget needs nothing looser.

const SITE_DIR = fileURLToPath(new URL('../../examples/brand-site/', import.meta.url))
const PAGE = /^\/([a-z0-9-]+\.html)?$/
/** The shop's single-page app answers at each of its paths; the page shows the view for the path. */
const APP_PATHS: ReadonlyMap<string, string> = new Map([['/pricing', 'shop.html'], ['/checkout', 'shop.html']])

const INLINE = /<(script|style)>([\s\S]*?)<\/\1>/g

/**
 * The demo page's Content-Security-Policy: the relay for scripts, the socket and images, and each
 * inline script and style of the page allowed by its hash, nothing else.
 */
export function demoPageCsp(html: string, relayUrl: string): string {
  const hashes: Record<string, string[]> = { script: [], style: [] }
  for (const [, kind, body] of html.matchAll(INLINE)) {
    hashes[kind!]!.push(`'sha256-${createHash('sha256').update(body!).digest('base64')}'`)
  }
  const socket = relayUrl.replace(/^http/, 'ws')
  return [
    "default-src 'none'",
    `script-src ${[relayUrl, ...hashes.script!].join(' ')}`,
    `style-src ${hashes.style!.join(' ') || "'none'"}`,
    `connect-src ${relayUrl} ${socket}`,
    `img-src ${relayUrl} data: blob:`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** A running demo site. */
export interface DemoSite {
  url: string
  close(): Promise<void>
}

/** Serves the demo pages on `host:port`, with `{{RELAY}}` and `{{SITE_KEY}}` filled in. */
export async function startDemoSite(opts: { host: string; port: number; relayUrl: string; siteKey: string }): Promise<DemoSite> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const m = PAGE.exec(path)
    const name = APP_PATHS.get(path) ?? (m ? m[1] ?? 'index.html' : null)
    const fail = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(text)
    }
    if (path === '/favicon.ico' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, FAVICON_HEADERS)
      return res.end(req.method === 'HEAD' ? undefined : FAVICON)
    }
    if (!name || (req.method !== 'GET' && req.method !== 'HEAD')) return fail(404, 'not found')
    readFile(join(SITE_DIR, name), 'utf8').then((html) => {
      const body = html.replaceAll('{{RELAY}}', opts.relayUrl).replaceAll('{{SITE_KEY}}', opts.siteKey)
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-cache',
        'content-security-policy': demoPageCsp(body, opts.relayUrl),
        'referrer-policy': 'strict-origin-when-cross-origin',
        'x-content-type-options': 'nosniff',
      })
      res.end(req.method === 'HEAD' ? undefined : body)
    }, () => fail(404, 'not found'))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port, opts.host, () => resolve())
  })
  const addr = server.address()
  const port = typeof addr === 'object' && addr ? addr.port : opts.port
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
