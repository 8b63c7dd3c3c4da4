import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import websocket from '@fastify/websocket'
import cors from '@fastify/cors'
import { Ajv } from 'ajv'
import { DEFAULT_LIMITS, DEFAULT_OFFER_TIMEOUT_SEC, ERRORS, isErrorCode, type ErasureReceipt, type Limits } from '@parley/sdk/contract'
import type { Deps } from './deps.js'
import { createTokenSigner } from './auth/tokens.js'
import { createCommitter } from './relay/committer.js'
import { Fanout } from './relay/fanout.js'
import { DEFAULT_PIPELINE, type PipelineStep } from './relay/pipeline.js'
import { BURST_SECONDS, inProcessBuckets } from './relay/rate-limiter.js'
import { restartSessionsOnGap } from './relay/gap-restart.js'
import { SenderTails } from './relay/sender-tails.js'
import { BrandMaskers } from './masking/brand-maskers.js'
import { re2Compiler } from './masking/re2-compiler.js'
import { maskingRoutes } from './plugins/rest/masking.js'
import { ruleRoutes } from './plugins/rest/rules.js'
import { surveyRoutes } from './plugins/rest/surveys.js'
import { ruleEventRoutes } from './plugins/rest/rule-events.js'
import { reportRoutes } from './plugins/rest/reports.js'
import { routingRoutes } from './plugins/rest/routing.js'
import { supervisorRoutes } from './plugins/rest/supervisor.js'
import { agentSettingsRoutes } from './plugins/rest/agent-settings.js'
import { cannedReplyRoutes } from './plugins/rest/canned-replies.js'
import { noteRoutes } from './plugins/rest/notes.js'
import { attachmentRoutes } from './plugins/rest/attachments.js'
import { offlineMessageRoutes } from './plugins/rest/offline-messages.js'
import { visitorConsentRoutes } from './plugins/rest/visitor-consent.js'
import { WriteBatch } from './relay/write-batch.js'
import { SharedStrings } from './relay/shared-strings.js'
import type { RelayContext } from './relay/context.js'
import { authPlugin } from './plugins/auth.js'
import { createAuditLog } from './audit/audit-log.js'
import { auditPlugin } from './audit/audit-plugin.js'
import { auditRoutes } from './plugins/rest/audit.js'
import { visitorExportRoutes } from './plugins/rest/visitor-export.js'
import { dataCorrectionRoutes } from './plugins/rest/data-corrections.js'
import { securityRoutes } from './plugins/rest/security.js'
import { privacyRoutes } from './plugins/rest/privacy.js'
import { legalHoldRoutes } from './plugins/rest/legal-holds.js'
import { createIdentityCheck } from './identity/identity-check.js'
import { auditRetentionPlugin } from './plugins/audit-retention.js'
import { retentionPurgePlugin } from './plugins/retention-purge.js'
import { createSecuritySettings } from './auth/security-settings.js'
import { createTrackingSettings } from './data-rights/tracking-settings.js'
import { createIdentityVerifier } from './identity/identity-verifier.js'
import { createJwksCache } from './identity/jwks-cache.js'
import { identitySecretRoutes } from './plugins/rest/identity-secrets.js'
import { closeRevokedConnections } from './relay/revoked-connections.js'
import { dropErasedVisitors } from './relay/erased-visitors.js'
import { erasureRoutes } from './plugins/rest/erasures.js'
import { erasureSweepPlugin } from './plugins/erasure-sweep.js'
import { startSessionRecheck } from './relay/session-recheck.js'
import { livePlugin } from './plugins/live.js'
import { healthRoutes } from './plugins/health.js'
import { agentRoutes } from './plugins/rest/agents.js'
import { accountRoutes } from './plugins/rest/accounts.js'
import { apiKeyRoutes } from './plugins/rest/api-keys.js'
import { sessionRoutes } from './plugins/rest/sessions.js'
import { conversationRoutes } from './plugins/rest/conversations.js'
import { siteConfigRoutes } from './plugins/rest/site-config.js'
import { brandRoutes } from './plugins/rest/brand.js'
import { openApi } from './plugins/rest/openapi.js'
import { idempotency } from './plugins/rest/idempotency.js'
import { maskingRunRoutes, type MaskingRunOptions } from './plugins/rest/masking-runs.js'
import { staticAssets } from './plugins/static-assets.js'
import { restRateLimits } from './plugins/rest/rate-limits.js'
import { jsonBody, JSON_TYPES } from './plugins/rest/json-body.js'
import { validationMessage, type ValidationIssue } from './plugins/rest/validation-message.js'
import { httpError } from './errors.js'
import { FAVICON, FAVICON_HEADERS } from './favicon.js'
import { createInProcessPresence } from './agents/presence.js'
import { StatusBoard } from './agents/status-board.js'
import { PublicAvailability } from './agents/public-availability.js'
import { availabilityRoutes } from './plugins/rest/availability.js'
import { createCountryLookup } from './geo/country.js'
import { Router } from './routing/router.js'
import { LeaseRefusedError } from './routing/brand-locks.js'
import { createTimerScheduler, type Scheduler } from './routing/scheduler.js'
import { QUEUE_REFRESH_MS, QueueAnnouncer } from './waiting/queue-announcer.js'
import { waitingPlugin } from './plugins/waiting.js'
import { isStoreUnavailable } from './store/store-errors.js'
import { createWebhookEvents, observePublishes } from './webhooks/webhook-events.js'
import { startDeliveryWorker, type DeliveryWorker } from './webhooks/delivery-worker.js'
import { postWebhook } from './webhooks/webhook-post.js'
import { webhookRoutes } from './plugins/rest/webhooks.js'
import { createLazyCompilers } from './plugins/lazy-compilers.js'

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
  /**
   * Steps between validation and storage (default: clean the text, then mask it with the brand's
   * configuration). Each call of a step of your own gets an input object of its own, which it may keep.
   */
  pipeline?: readonly PipelineStep[]
  /** Directory of the browser bundles (widget/dist): /parley.js, /w/*, /console. Null: not served. */
  widgetDir?: string | null
  /** How masking runs over existing data go (POST /v1/masking/runs); defaults otherwise. */
  maskingRuns?: MaskingRunOptions
  /** A request header the operator's proxy sets to the client's two-letter country (e.g. CF-IPCountry). */
  countryHeader?: string | null
  /** A MaxMind .mmdb database (its bytes) to find the client's country by address. */
  geoIpDb?: Buffer | null
  /** Timers on the clock: automatic routing's offers and the waiting visitors' periodic estimate (default: real timers against `deps.clock`). */
  routing?: { scheduler?: Scheduler }
  /** How often the relay looks for quiet chats to close (ms; default 30 s). */
  inactivitySweepMs?: number
  /** Let brands' JWKS URLs use http and loopback, private or link-local addresses (development, tests; default false). */
  allowPrivateKeyUrls?: boolean
  /** How often open agent connections re-read their session (relay/session-recheck.ts; tests shorten it). */
  sessionRecheckMs?: number
  /** How often the audit log's expired entries are purged (ms; default hourly). */
  auditRetentionSweepMs?: number
  /** Let brands' webhook URLs use http and loopback, private or link-local addresses (development, tests; default false). */
  allowPrivateWebhookUrls?: boolean
  /** The webhook worker's outbox poll (ms; default 1 s) and per-POST deadline (ms; default 10 s). */
  webhooks?: { pollMs?: number; timeoutMs?: number }
  /** The erasure ledger a restore replays (data-rights/erasure-ledger.ts); null or left out: none kept. */
  erasureLedger?: string | null
  /** How often scheduled erasures whose grace period ended are run (ms; default five minutes). */
  erasureSweepMs?: number
  /** How often transcripts past their brand's retention are purged (ms; default hourly), and in batches of how many conversations (default 50). */
  retentionPurge?: { everyMs?: number; batch?: number }
}

// A net for mistakes, not the plan: code logs ids, lengths and codes, never bodies or tokens.
const REDACT = ['req.headers.authorization', 'req.headers.cookie', '*.text', '*.answers', '*.token', '*.password']

/** The routes an app serves, in registration order (WebSocket routes marked). */
export interface RouteEntry {
  method: string
  url: string
  websocket: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route registered, so tests and checks can cover each one without a hand-kept list. */
    parleyRoutes: readonly RouteEntry[]
    /** Compiles the route schemas no request has needed yet (lazy-compilers.ts); returns how many. */
    parleyCompileSchemas(): number
  }
}

// A request line names the route pattern (`/v1/conversations/:convId`), never the URL: a query
// string holds transcript search terms, and sometimes a token someone pasted into a link. The
// client address stays out too; warnings about limits carry it where it is needed.
const SERIALIZERS = {
  req: (req: FastifyRequest) => ({ method: req.method, route: req.routeOptions?.url ?? '(no route)' }),
}

/** Builds the relay (not yet listening). Close it with `app.close()`: sockets first, then queued commits. */
export async function buildApp(given: Deps, opts: RelayOptions = {}): Promise<FastifyInstance> {
  let deps = given
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits }
  const logger = opts.logger === undefined ? { level: 'info' } : opts.logger
  const compilers = createLazyCompilers()
  const app = Fastify({
    logger: logger && typeof logger === 'object' ? { ...logger, redact: REDACT, serializers: SERIALIZERS } : logger,
    ...(opts.https ? { https: opts.https } : {}),
    trustProxy: opts.trustProxy ?? false,
    // Random, not Fastify's per-process counter (req-1r), which repeats after every restart: an id
    // quoted in a bug report finds one log line.
    genReqId: () => deps.ids.next('req_'),
    bodyLimit: 256 * 1024,
    schemaController: { compilersFactory: { buildSerializer: compilers.buildSerializer } },
    // /readyz answers PARLEY_ERR_SERVER_SHUTTING_DOWN itself while the relay drains.
    return503OnClosing: false,
  }) as unknown as FastifyInstance

  // Webhook events are read off what this node publishes after each commit (webhooks/webhook-events.ts).
  const allowPrivateWebhooks = opts.allowPrivateWebhookUrls ?? false
  let webhookWorker: DeliveryWorker | null = null
  const webhooks = createWebhookEvents({ store: deps.store, clock: deps.clock, ids: deps.ids, bus: deps.bus, log: app.log, nudge: () => webhookWorker?.nudge() })
  deps = { ...deps, bus: observePublishes(deps.bus, webhooks), erasureLedger: opts.erasureLedger ?? null }
  const signer = createTokenSigner(deps.tokenSecret, () => deps.clock.now())
  const writes = new WriteBatch((err) => app.log.error({ err }, 'sending a batch of answers failed'))
  const committer = createCommitter(deps.store, {
    onCallbackError: (err) => app.log.error({ err }, 'ack or fan-out after commit failed'),
    aroundCallbacks: (run) => writes.around(run),
  })
  const fanout = new Fanout(deps.bus)
  const maskers = new BrandMaskers(deps.store, re2Compiler, deps.bus)
  const senderTails = new SenderTails()
  // A sender writing through another node (a second tab) moves their tail here too.
  const stopTails = deps.bus.subscribe((e) => { if (e.frame.type === 'message.new') senderTails.stored(e.brandId, e.frame) })
  const presence = deps.presence ?? createInProcessPresence()
  const board = new StatusBoard({
    store: deps.store, bus: deps.bus, clock: deps.clock, presence,
    onError: (err, brandId, agentId) => app.log.error({ err, brandId, agentId }, 'agent status announcement failed'),
  })
  // An agent whose node died went offline without a disconnect (or came back when a share was written
  // again, without a connect): colleagues hear it from the node that noticed.
  const stopPresenceChange = presence.onChange?.((brandId, agentId) => {
    board.announce(brandId, agentId).catch((err: unknown) => app.log.error({ err, brandId, agentId }, 'agent status announcement failed'))
  })
  const availability = new PublicAvailability(deps.store, board, deps.clock)
  const scheduler = opts.routing?.scheduler ?? createTimerScheduler(deps.clock)
  const router = new Router({
    store: deps.store, bus: deps.bus, clock: deps.clock, board, scheduler,
    // Clustered: passes hold the brand's lease, and a dead node's offers are timed out by the sweep.
    ...(deps.locks ? { locks: deps.locks, sweepMs: DEFAULT_OFFER_TIMEOUT_SEC * 1000 } : {}),
    // A refused lease is contention or a Redis outage (logged once by the cluster): the pass runs again.
    onError: (err, brandId) => (err instanceof LeaseRefusedError ? app.log.debug({ err, brandId }, 'routing pass postponed') : app.log.error({ err, brandId }, 'routing pass failed')),
    onOffer: (o) => app.log.debug(o, o.outcome === null ? 'chat offered' : 'offer ended'),
  })
  const buckets = deps.buckets ?? inProcessBuckets
  const security = createSecuritySettings(deps.store, deps.bus, () => deps.clock.now())
  const tracking = createTrackingSettings(deps.store, deps.bus, () => deps.clock.now())
  const audit = createAuditLog({ store: deps.store, clock: deps.clock, settings: (brandId) => security.config(brandId) })
  const identity = createIdentityVerifier({ store: deps.store, security, jwks: createJwksCache({ allowPrivate: opts.allowPrivateKeyUrls ?? false }), now: () => deps.clock.now() })
  const country = createCountryLookup({ header: opts.countryHeader ?? null, geoIpDb: opts.geoIpDb ?? null })
  const ctx: RelayContext = {
    deps, limits, signer, committer, fanout,
    pipeline: opts.pipeline ?? DEFAULT_PIPELINE,
    maskers,
    senderTails,
    visitorBuckets: buckets('visitor-messages', limits.visitorMessagesPerSecond, limits.visitorMessagesPerSecond * BURST_SECONDS),
    openings: {
      byVisitor: buckets('visitor-openings', limits.visitorConversationsPerMinute / 60, limits.visitorConversationsPerMinute),
      byIp: buckets('address-openings', limits.ipConversationsPerMinute / 60, limits.ipConversationsPerMinute),
    },
    log: app.log,
    audit,
    security,
    tracking,
    identity,
    webhooks,
    writes,
    sharedStrings: new SharedStrings(),
    sessions: new Set(),
    board,
    queue: new QueueAnnouncer({
      store: deps.store, bus: deps.bus, clock: deps.clock, debounceMs: 100, scheduler, refreshMs: QUEUE_REFRESH_MS,
      hasLocalVisitors: (brandId) => fanout.hasVisitors(brandId),
      timers: { set: (fn, ms) => setTimeout(fn, ms).unref(), clear: (id) => clearTimeout(id as NodeJS.Timeout) },
      onError: (err, brandId) => app.log.error({ err, brandId }, 'queue positions failed'),
    }),
  }
  const routes: RouteEntry[] = []
  app.decorate('parleyRoutes', routes)
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url, websocket: Boolean((r as { websocket?: boolean }).websocket) })
  })
  let closing = false
  app.addHook('onReady', async () => {
    await router.start()
    webhookWorker = startDeliveryWorker({ store: deps.store, clock: deps.clock, log: app.log, post: postWebhook }, { ...opts.webhooks, allowPrivate: allowPrivateWebhooks })
  })
  app.addHook('preClose', async () => {
    closing = true
    board.quiesce()
    await router.stop()
    await webhookWorker?.stop()
  })
  // Fan-out events may have been lost (Redis dropped): every connection resumes from the store.
  const stopGapRestarts = restartSessionsOnGap(deps.bus, ctx.sessions, {
    clock: deps.clock, scheduler: createTimerScheduler(deps.clock), random: Math.random,
    onGap: (connections, brands) => app.log.warn({ connections, brands: brands === 'all' ? 'all' : [...brands] }, 'fan-out gap: connections will reconnect and resume'),
  })
  // Ended sessions and visits close their live connections on every node: at once on the bus note,
  // and from the store at once on a bus gap, or within SESSION_RECHECK_MS should a note be lost.
  const stopRevocations = closeRevokedConnections(deps.bus, ctx.sessions, (connections, e) => app.log.info({ brandId: e.brandId, kind: e.kind, connections }, 'connections of ended sessions closed'))
  // An erased visitor's connections close and their visits end on every node; their text leaves the caches.
  const stopErased = dropErasedVisitors(deps.bus, ctx.sessions, {
    senderTails,
    sharedStrings: ctx.sharedStrings,
    endVisit: (brandId, sid) => deps.store.endVisit(brandId, sid, deps.clock.now() + limits.visitorTokenTtlSeconds * 1000),
    onError: (err, brandId) => app.log.error({ err, brandId }, 'ending an erased visitor\'s visit failed'),
    onClosed: (connections, brandId) => app.log.info({ brandId, connections }, 'connections of erased visitors closed'),
  })
  const stopRecheck = startSessionRecheck(ctx.sessions, {
    store: deps.store, bus: deps.bus, now: () => deps.clock.now(), onError: (err, brandId) => app.log.error({ err, brandId }, 'session recheck failed'),
  }, opts.sessionRecheckMs)
  app.addHook('onClose', async () => {
    stopRevocations()
    stopErased()
    stopRecheck()
    stopGapRestarts()
    stopPresenceChange?.()
    maskers.close()
    security.close()
    tracking.close()
    stopTails()
    fanout.close()
    webhooks.close()
  })

  // Bodies are JSON and must already have the right types: `"name": 5` is an error, not "5".
  // Query strings and path parameters are text by nature, so they are coerced to the schema's types.
  // `verbose` puts the failing schema on each error, so validationMessage can say what a refused key
  // should be, and name a query field refused by a union of literals once with its allowed values.
  const strictAjv = new Ajv({ removeAdditional: false, useDefaults: true, coerceTypes: false, allErrors: false, verbose: true })
  const coercingAjv = new Ajv({ removeAdditional: false, useDefaults: true, coerceTypes: true, allErrors: false, verbose: true })
  app.setValidatorCompiler(({ schema, httpPart }) => compilers.validator(() => (httpPart === 'body' ? strictAjv : coercingAjv).compile(schema)))
  app.decorate('parleyCompileSchemas', () => compilers.compileAll())

  app.setErrorHandler((err: Error & { code?: string; statusCode?: number; validation?: unknown; validationContext?: string }, req, reply) => {
    let e = err
    if (err.validation) {
      // Ajv's message leaves out which unknown field it refused; name it.
      e = httpError('PARLEY_ERR_REQUEST_INVALID', validationMessage(err.validationContext ?? 'body', err.message, err.validation as ValidationIssue[]))
    }
    // The store's own message may name its internals; the table's says what the caller needs to know.
    else if (isStoreUnavailable(err)) e = httpError('PARLEY_ERR_SERVER_STORE')
    else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') e = httpError('PARLEY_ERR_REQUEST_TOO_LARGE')
    else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      e = httpError('PARLEY_ERR_REQUEST_MEDIA_TYPE', String(req.headers['content-type'] ?? '(none)').slice(0, 100), JSON_TYPES.join(' or '))
    }
    else if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY'
      || (err.statusCode === 400 && !isErrorCode(err.code))) e = httpError('PARLEY_ERR_REQUEST_INVALID', err.message)
    if (!isErrorCode(e.code)) {
      req.log.error({ err }, 'request failed')
      e = httpError('PARLEY_ERR_SERVER_INTERNAL', req.id)
    } else if ((e.statusCode ?? 500) >= 500) {
      req.log.error({ err }, 'request failed')
    }
    const code = e.code as keyof typeof ERRORS
    const field = (e as { field?: unknown }).field
    void reply.code(ERRORS[code].status).send({
      code, message: e.message, retryable: ERRORS[code].retryable, requestId: String(req.id), ...(typeof field === 'string' ? { field } : {}),
    })
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
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Parley-File-Name'],
    exposedHeaders: ['Idempotent-Replayed', 'Retry-After', 'Content-Disposition'],
    maxAge: 600,
  })
  await app.register(websocket, {
    // No permessage-deflate (ws's default, stated here): the relay writes its frames to the socket
    // itself, uncompressed (relay/text-frames.ts).
    options: { maxPayload: limits.maxFrameBytes * 4, perMessageDeflate: false },
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
  // @fastify/websocket hands an upgrade on any GET route to that route, which then accepts it and
  // closes the socket at once (101, then nothing). Only WebSocket routes (/v1/live) take an upgrade;
  // the others answer it like any request they can't serve.
  app.addHook('onRequest', async (req) => {
    const route = req.routeOptions.url
    // No route: the not-found handler answers 404.
    if (req.ws && route !== undefined && !routes.some((r) => r.websocket && r.url === route)) {
      throw httpError('PARLEY_ERR_REQUEST_INVALID', `${route} does not accept a WebSocket upgrade; use /v1/live`)
    }
  })
  // A hook that refuses an upgrade before @fastify/websocket's own onRequest runs (the CORS origin
  // check, when the store is away) leaves the plugin unaware of the upgrade, so it never closes that
  // socket, which the HTTP server no longer tracks either: it would stay open and hold shutdown.
  app.addHook('onResponse', async (req) => {
    if (!req.ws && String(req.headers.upgrade).toLowerCase() === 'websocket') req.raw.socket.destroy()
  })
  await app.register(jsonBody)
  // Before any route, so its onRoute hook sees them all.
  // A failing shared counter is reported by the cluster (once per outage); the limits count here meanwhile.
  await app.register(restRateLimits, { limits, counter: deps.rateLimitCounter })
  await app.register(auditPlugin, { audit })
  await app.register(authPlugin, { store: deps.store, signer, clock: deps.clock, audit, policySettings: (brandId) => security.policy(brandId) })
  // Before any route, so the document lists them all.
  await app.register(openApi)
  await app.register(idempotency, { store: deps.store, clock: deps.clock, secret: deps.tokenSecret })
  await app.register(healthRoutes, { store: deps.store, isClosing: () => closing })
  await app.register(livePlugin, { ctx })
  await app.register(waitingPlugin, { ctx, ...(opts.inactivitySweepMs ? { sweepMs: opts.inactivitySweepMs } : {}) })
  await app.register(agentRoutes, { deps, signer, limits, board, security, audit })
  await app.register(accountRoutes, { deps, board, audit })
  await app.register(sessionRoutes, { deps, audit })
  await app.register(apiKeyRoutes, { deps, audit })
  await app.register(conversationRoutes, { deps })
  await app.register(siteConfigRoutes, { deps, limits, tracking })
  await app.register(availabilityRoutes, { deps, limits, availability, country })
  await app.register(brandRoutes, { deps })
  await app.register(identitySecretRoutes, { deps, audit })
  await app.register(maskingRoutes, { deps, maskers })
  await app.register(ruleRoutes, { deps })
  await app.register(surveyRoutes, { deps })
  await app.register(ruleEventRoutes, { deps })
  await app.register(reportRoutes, { deps })
  await app.register(routingRoutes, { deps, router })
  await app.register(supervisorRoutes, { deps, board })
  await app.register(agentSettingsRoutes, { deps })
  await app.register(cannedReplyRoutes, { deps })
  await app.register(noteRoutes, { deps })
  await app.register(attachmentRoutes, { deps, maskers })
  await app.register(offlineMessageRoutes, { ctx })
  await app.register(visitorConsentRoutes, { deps })
  await app.register(maskingRunRoutes, { deps, maskers, senderTails, ...(opts.maskingRuns ? { options: opts.maskingRuns } : {}) })
  await app.register(securityRoutes, { deps, security, checkIdentity: createIdentityCheck({ allowPrivateKeyUrls: opts.allowPrivateKeyUrls ?? false }) })
  await app.register(auditRoutes, { deps })
  await app.register(webhookRoutes, { deps, audit, events: webhooks, allowPrivate: allowPrivateWebhooks })
  await app.register(privacyRoutes, { deps })
  await app.register(legalHoldRoutes, { deps })
  await app.register(visitorExportRoutes, { deps })
  await app.register(dataCorrectionRoutes, { deps, maskers })
  await app.register(auditRetentionPlugin, {
    deps: { store: deps.store, clock: deps.clock, audit, settings: (brandId) => security.config(brandId) }, scheduler,
    ...(opts.auditRetentionSweepMs ? { everyMs: opts.auditRetentionSweepMs } : {}),
  })
  const erase = {
    ledger: opts.erasureLedger ?? null,
    visitorTokenTtlMs: limits.visitorTokenTtlSeconds * 1000,
    chatsChanged: (brandId: string, agentIds: readonly (string | null)[]) => board.chatsChanged(brandId, agentIds),
    onBlobError: (err: unknown) => app.log.warn({ err }, 'an erased attachment\'s file could not be deleted'),
    onErased: (r: ErasureReceipt) => {
      void webhooks.emit(r.brandId, 'visitor.erased', { requestId: r.requestId, visitorIds: r.visitorIds, counts: { ...r.removed }, at: r.erasedAt })
    },
  }
  await app.register(erasureRoutes, { deps, audit, erase })
  await app.register(erasureSweepPlugin, {
    deps: { store: deps.store, bus: deps.bus, clock: deps.clock, blobs: deps.blobs, audit: (e) => audit.record(e), ...erase }, scheduler,
    ...(opts.erasureSweepMs ? { everyMs: opts.erasureSweepMs } : {}),
  })
  await app.register(retentionPurgePlugin, {
    deps: {
      store: deps.store, clock: deps.clock, audit, blobs: deps.blobs, bus: deps.bus,
      chatsChanged: (brandId: string, agentIds: readonly (string | null)[]) => board.chatsChanged(brandId, agentIds),
    },
    scheduler,
    ...(opts.retentionPurge?.everyMs ? { everyMs: opts.retentionPurge.everyMs } : {}),
    ...(opts.retentionPurge?.batch ? { pass: { batch: opts.retentionPurge.batch } } : {}),
  })
  if (opts.widgetDir) await app.register(staticAssets, { dir: opts.widgetDir })
  // Browsers ask for it on every page the relay serves (the console, a probe opened by hand).
  app.get('/favicon.ico', { logLevel: 'warn' }, (_req, reply) => reply.headers(FAVICON_HEADERS).send(FAVICON))
  return app
}
