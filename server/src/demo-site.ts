import { readFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// The demo brand's web site for `npm start`: the pages of examples/brand-site, with the script tag
// pointing at this relay, served on a second origin (the next port) so the widget runs cross-origin
// exactly as on a real brand's site.

const SITE_DIR = fileURLToPath(new URL('../../examples/brand-site/', import.meta.url))
const PAGE = /^\/([a-z0-9-]+\.html)?$/

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
    const name = m ? m[1] ?? 'index.html' : null
    const fail = (status: number, text: string) => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' })
      res.end(text)
    }
    if (!name || (req.method !== 'GET' && req.method !== 'HEAD')) return fail(404, 'not found')
    readFile(join(SITE_DIR, name), 'utf8').then((html) => {
      const body = html.replaceAll('{{RELAY}}', opts.relayUrl).replaceAll('{{SITE_KEY}}', opts.siteKey)
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' })
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
