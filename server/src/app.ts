import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import websocket from '@fastify/websocket'
import cors from '@fastify/cors'
import { Ajv } from 'ajv'
import { DEFAULT_LIMITS, ERRORS, isErrorCode, type Limits } from '@parley/sdk/contract'
import type { Deps } from './deps.js'
import { createTokenSigner } from './auth/tokens.js'
import { createCommitter } from './relay/committer.js'
import { Fanout } from './relay/fanout.js'
import { DEFAULT_PIPELINE, type PipelineStep } from './relay/pipeline.js'
import { KeyedBuckets } from './relay/rate-limiter.js'
import { WriteBatch } from './relay/write-batch.js'
import type { RelayContext } from './relay/context.js'
import { authPlugin } from './plugins/auth.js'
import { livePlugin } from './plugins/live.js'
import { healthRoutes } from './plugins/health.js'
import { agentRoutes } from './plugins/rest/agents.js'
import { conversationRoutes } from './plugins/rest/conversations.js'
import { siteConfigRoutes } from './plugins/rest/site-config.js'
import { staticAssets } from './plugins/static-assets.js'
import { httpError } from './errors.js'

export type { Deps } from './deps.js'

/** How to run the relay; every field has a default. */
export interface RelayOptions {
  limits?: Partial<Limits>
  /** Fastify logger options (pino); false for silence. Redaction is always added. */
  logger?: FastifyServerOptions['logger']
  /** Serve https/wss directly with this certificate; otherwise run behind a TLS proxy. */
  https?: { cert: Buffer; key: Buffer } | null
  /** Trust X-Forwarded-For (only behind your own proxy): per-IP limits then see the real client. */
  trustProxy?: boolean
  /** Steps between validation and storage; masking adds its step here. */
  pipeline?: readonly PipelineStep[]
  /** Directory of the browser bundles (widget/dist): /parley.js, /w/*, /console. Null: not served. */
  widgetDir?: string | null
}

// A net for mistakes, not the plan: code logs ids, lengths and codes, never bodies or tokens.
const REDACT = ['req.headers.authorization', 'req.headers.cookie', '*.text', '*.answers', '*.token', '*.password']

/** Builds the relay (not yet listening). Close it with `app.close()`: sockets first, then queued commits. */
export async function buildApp(deps: Deps, opts: RelayOptions = {}): Promise<FastifyInstance> {
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits }
  const logger = opts.logger === undefined ? { level: 'info' } : opts.logger
  const app = Fastify({
    logger: logger && typeof logger === 'object' ? { ...logger, redact: REDACT } : logger,
    ...(opts.https ? { https: opts.https } : {}),
    trustProxy: opts.trustProxy ?? false,
    bodyLimit: 256 * 1024,
    // /readyz answers PARLEY_ERR_SERVER_SHUTTING_DOWN itself while the relay drains.
    return503OnClosing: false,
  }) as unknown as FastifyInstance

  const signer = createTokenSigner(deps.tokenSecret, () => deps.clock.now())
  const writes = new WriteBatch()
  const committer = createCommitter(deps.store, {
    onCallbackError: (err) => app.log.error({ err }, 'ack or fan-out after commit failed'),
    aroundCallbacks: (run) => writes.around(run),
  })
  const fanout = new Fanout(deps.bus)
  const ctx: RelayContext = {
    deps, limits, signer, committer, fanout,
    pipeline: opts.pipeline ?? DEFAULT_PIPELINE,
    visitorBuckets: new KeyedBuckets(limits.visitorMessagesPerSecond),
    openings: {
      byVisitor: new KeyedBuckets(limits.visitorConversationsPerMinute / 60, limits.visitorConversationsPerMinute),
      byIp: new KeyedBuckets(limits.ipConversationsPerMinute / 60, limits.ipConversationsPerMinute),
    },
    log: app.log,
    writes,
    sessions: new Set(),
  }
  let closing = false
  app.addHook('preClose', async () => { closing = true })
  app.addHook('onClose', async () => { fanout.close() })

  // Bodies are JSON and must already have the right types: `"name": 5` is an error, not "5".
  // Query strings and path parameters are text by nature, so they are coerced to the schema's types.
  const strictAjv = new Ajv({ removeAdditional: false, useDefaults: true, coerceTypes: false, allErrors: false })
  const coercingAjv = new Ajv({ removeAdditional: false, useDefaults: true, coerceTypes: true, allErrors: false })
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema))

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number; validation?: unknown }, req, reply) => {
    let e = err
    if (err.validation) e = httpError('PARLEY_ERR_REQUEST_INVALID', err.message)
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') e = httpError('PARLEY_ERR_REQUEST_TOO_LARGE')
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
      || (err.statusCode === 400 && !isErrorCode(err.code))) e = httpError('PARLEY_ERR_REQUEST_INVALID', err.message)
    if (!isErrorCode(e.code)) {
      req.log.error({ err }, 'request failed')
      e = httpError('PARLEY_ERR_SERVER_INTERNAL', req.id)
    } else if ((e.statusCode ?? 500) >= 500) {
      req.log.error({ err }, 'request failed')
    }
    const code = e.code as keyof typeof ERRORS
    void reply.code(ERRORS[code].status).send({ code, message: e.message, retryable: ERRORS[code].retryable, requestId: String(req.id) })
  })
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ code: 'PARLEY_ERR_REQUEST_NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0]}`, retryable: false, requestId: String(req.id) })
  })

  await app.register(cors, {
    // Preflights carry no credentials, so the brand is unknown: allow the origins some brand allows.
    // What the request may then read is decided by its credential, per brand.
    origin: (origin, cb) => {
      if (!origin) return cb(null, true)
      deps.store.isOriginAllowedAnywhere(origin).then((ok) => cb(null, ok), (err: Error) => cb(err, false))
    },
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    maxAge: 600,
  })
  await app.register(websocket, {
    options: { maxPayload: limits.maxFrameBytes * 4 },
    // Replaces the plugin's own shutdown, which closes sockets without a code: stop taking frames,
    // let queued messages commit and their acks go out, then tell clients to reconnect (1012).
    preClose(this: FastifyInstance, done: () => void) {
      const wss = this.websocketServer
      for (const session of ctx.sessions) session.quiesce()
      const closeAll = () => {
        for (const session of ctx.sessions) session.fail('PARLEY_ERR_SERVER_SHUTTING_DOWN', [])
        for (const client of wss.clients) if (client.readyState === 1) client.close(1012, 'PARLEY_ERR_SERVER_SHUTTING_DOWN')
        wss.close()
        done()
      }
      committer.drain().then(closeAll, closeAll)
    },
  })
  await app.register(authPlugin, { store: deps.store, signer })
  await app.register(healthRoutes, { store: deps.store, isClosing: () => closing })
  await app.register(livePlugin, { ctx })
  await app.register(agentRoutes, { deps, signer, limits })
  await app.register(conversationRoutes, { deps })
  await app.register(siteConfigRoutes, { deps })
  if (opts.widgetDir) await app.register(staticAssets, { dir: opts.widgetDir })
  return app
}
