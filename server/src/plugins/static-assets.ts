import { readFile, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import type { FastifyPluginAsync, FastifyReply } from 'fastify'
import { httpError } from '../errors.js'

// The browser bundles (widget/dist): the loader at /parley.js, the widget's ES module chunks under
// /w/, and the agent console under /console. Files are read from one directory; a name is a single
// path segment of safe characters, so nothing outside that directory can be named. The build puts
// a precompressed .br and .gz beside each file; the one the browser accepts is sent.

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
}
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/
/** Content-hashed chunk names (esbuild's `[name]-[hash]`) never change content: cache for a year. */
const HASHED = /-[A-Z0-9]{8}\.(js|css)$/
const CONSOLE_CSP = "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob: https:; style-src 'self'; script-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

/** Content codings we have precompressed files for, best first, and their file suffixes. */
const ENCODINGS = { br: 'br', gzip: 'gz' } as const
type Encoding = keyof typeof ENCODINGS

/** The codings we have that `accept` allows (`q=0` refuses, and beats `*`), best first. */
function acceptedEncodings(accept: string): Encoding[] {
  const allowed = new Set<string>()
  const refused = new Set<string>()
  for (const part of accept.toLowerCase().split(',')) {
    const [coding, ...params] = part.trim().split(';')
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined)
    if (!coding) continue
    if (q === undefined || Number(q) > 0) allowed.add(coding.trim())
    else refused.add(coding.trim())
  }
  return (Object.keys(ENCODINGS) as Encoding[]).filter((c) => !refused.has(c) && (allowed.has(c) || allowed.has('*')))
}

/** The file in the best accepted coding that the build precompressed, else as it is. */
async function readEncoded(file: string, accept: string): Promise<{ body: Buffer; encoding: Encoding | null }> {
  for (const encoding of acceptedEncodings(accept)) {
    const body = await readFile(`${file}.${ENCODINGS[encoding]}`).catch(() => null)
    if (body) return { body, encoding }
  }
  return { body: await readFile(file), encoding: null }
}

/** Options: the directory holding parley.js, w/ and console/. */
export interface StaticAssetsOptions {
  dir: string
}

/** Serves the loader, the widget chunks and the console. */
export const staticAssets: FastifyPluginAsync<StaticAssetsOptions> = async (app, { dir }) => {
  const root = resolve(dir)

  async function send(reply: FastifyReply, folder: string, name: string, headers: Record<string, string>): Promise<FastifyReply> {
    if (!SAFE_NAME.test(name) || !TYPES[extname(name)]) throw httpError('PARLEY_ERR_REQUEST_NOT_FOUND', `/${folder ? `${folder}/` : ''}${name}`)
    const file = join(root, folder, name)
    if (!file.startsWith(root + sep)) throw httpError('PARLEY_ERR_REQUEST_NOT_FOUND', name)
    const info = await stat(file).catch(() => null)
    if (!info?.isFile()) throw httpError('PARLEY_ERR_REQUEST_NOT_FOUND', `/${folder ? `${folder}/` : ''}${name}`)
    const { body, encoding } = await readEncoded(file, String(reply.request.headers['accept-encoding'] ?? ''))
    void reply.header('content-type', TYPES[extname(name)]!).header('x-content-type-options', 'nosniff').header('vary', 'accept-encoding')
    if (encoding) void reply.header('content-encoding', encoding)
    for (const [k, v] of Object.entries(headers)) void reply.header(k, v)
    return reply.send(body)
  }

  // Loaded cross-origin by brands' pages: CORS is what lets a module script from here run there.
  const crossOrigin = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin' }

  app.get('/parley.js', (_req, reply) => send(reply, '', 'parley.js', { ...crossOrigin, 'cache-control': 'public, max-age=300' }))
  app.get<{ Params: { file: string } }>('/w/:file', (req, reply) => {
    const file = req.params.file
    const cache = HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'public, max-age=300'
    return send(reply, 'w', file, { ...crossOrigin, 'cache-control': cache })
  })
  const consoleHtml = (_req: unknown, reply: FastifyReply) => send(reply, 'console', 'index.html', {
    'cache-control': 'no-cache', 'content-security-policy': CONSOLE_CSP, 'referrer-policy': 'no-referrer',
  })
  app.get('/console', consoleHtml)
  app.get('/console/', consoleHtml)
  app.get<{ Params: { file: string } }>('/console/:file', (req, reply) => send(reply, 'console', req.params.file, {
    'cache-control': HASHED.test(req.params.file) ? 'public, max-age=31536000, immutable' : 'no-cache',
  }))
}
