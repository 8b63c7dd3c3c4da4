import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { Store } from '../store.js'
import { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.js'
import { CHECKPOINT_INTERVAL_MS } from './connection-pragmas.js'
import type { StoreRequest, StoreResponse } from './store-worker.js'
import { unpackAppendResults, type PackedAppendResult } from './append-wire.js'
import { StoreUnavailableError } from '../store-errors.js'

// The relay's default store: the SQLite store running on a worker thread, so that storage uses the
// second core and a commit's fsync never stalls the event loop. Same contract as the in-thread store
// (the store contract suite runs against both).

/** The Store methods the proxy forwards (close has its own), by type: a method added to Store and missing here does not compile. */
const FORWARDED: Record<Exclude<keyof Store, 'close'>, true> = {
  createBrand: true, getBrand: true, getBrandBySiteKey: true, isOriginAllowedAnywhere: true,
  createAgent: true, getAgent: true, getAgentByEmail: true, listAgents: true, updateAgent: true, replacePasswordHash: true, listAgentStatuses: true,
  getAgentStatus: true, setAgentStatus: true, countActiveChats: true, countWaitingChats: true, recordVisit: true, getConversation: true,
  listParticipantConversations: true, listConversations: true, joinConversation: true, isParticipant: true,
  closeConversation: true, assignConversation: true, listQueue: true, countQueue: true, updateVisitorContext: true, getWidgetConfig: true,
  setWidgetConfig: true, getMaskingConfig: true, setMaskingConfig: true, getRulesConfig: true, setRulesConfig: true, getBusinessHours: true, setBusinessHours: true,
  addRuleCounts: true, readRuleCounts: true, markRead: true, appendMessages: true, redactMessages: true,
  readMessages: true, startMaskingRun: true, getMaskingRun: true, readMaskingItems: true, commitMaskingStep: true,
  failMaskingRun: true, truncateWal: true, vacuum: true, ping: true, getLedgerMark: true, setLedgerMark: true,
  updateBrand: true, claimIdempotencyKey: true, completeIdempotencyKey: true, releaseIdempotencyKey: true, sweepIdempotencyKeys: true,
  getSurveysConfig: true, setSurveysConfig: true, getSurveyVersion: true, latestSurveyVersions: true, openConversation: true,
  addSurveyResponse: true, listSurveyResponses: true, listConversationAgents: true, readReport: true,
  // routing
  getRoutingConfig: true, setRoutingConfig: true, createOffer: true, endOffer: true, expireOffer: true, pruneEndedOffers: true, listPendingOffers: true,
  listOfferedAgents: true, listDeclinedAgents: true,
  countMissedOffers: true, requeueConversation: true, lastOfferTimes: true, recentWaits: true, closeIdleConversations: true, listBrandsWithOpenChats: true,
  getAgentSettings: true, setAgentSettings: true,
  // canned replies
  listCannedReplies: true, createCannedReply: true, updateCannedReply: true, deleteCannedReply: true,
  // notes
  addNote: true, listNotes: true,
  // attachments
  createAttachment: true, getAttachment: true, setAttachmentThumbnail: true, listUnsentAttachments: true, deleteAttachment: true,
  // access: roles, sessions, keys, audit, identity
  setAgentAccess: true, createSession: true, getSession: true, touchSession: true, listSessions: true, revokeSession: true,
  revokeAgentSessions: true, createApiKey: true, findApiKey: true, getApiKey: true, listApiKeys: true, updateApiKey: true,
  appendAudit: true, listAudit: true, purgeAudit: true, listBrandIds: true, getSecurityConfig: true, setSecurityConfig: true,
  listIdentitySecrets: true, addIdentitySecret: true, deleteIdentitySecret: true, linkCustomer: true, getCustomer: true,
  getCustomerByVisitor: true, revokeTokenIds: true, isTokenIdRevoked: true, pruneRevokedTokenIds: true,
  recordIdentityToken: true, endVisit: true,
  // data rights
  findVisitorIds: true, getVisitor: true, listVisitorConversations: true, listConsentEvents: true, recordConsent: true,
  correctContact: true, correctSurveyAnswers: true, eraseConversations: true, eraseVisitor: true, scrubFreePages: true, setLegalHold: true,
  listExpiredConversations: true, getPrivacyConfig: true, setPrivacyConfig: true, createErasureRequest: true,
  getErasureRequest: true, listErasureRequests: true, cancelErasureRequest: true, claimDueErasureRequests: true, completeErasureRequest: true,
  // signed webhooks
  createWebhookEndpoint: true, getWebhookEndpoint: true, listWebhookEndpoints: true, updateWebhookEndpoint: true, deleteWebhookEndpoint: true,
  enqueueWebhookDeliveries: true, claimWebhookDeliveries: true, recordWebhookAttempt: true, getWebhookDelivery: true, listWebhookDeliveries: true,
  pruneWebhookDeliveries: true,
}

/** Every method of Store, as the worker proxy serves them. */
export const STORE_METHODS = [...Object.keys(FORWARDED), 'close'] as (keyof Store)[]

// Compiled code runs dist/…/worker-store.js beside store-worker.js; the bundle (dist/parley*.mjs,
// server/bundle.mjs) runs beside parley-store-worker.mjs; tests that load the TypeScript source still
// start the compiled worker (npm test builds first).
function workerUrl(name: 'store-worker' | 'checkpointer'): URL {
  const here = import.meta.url
  if (here.endsWith('.ts')) return new URL(`../../../dist/store/sqlite/${name}.js`, here)
  return here.endsWith('.mjs') ? new URL(`./parley-${name}.mjs`, here) : new URL(`./${name}.js`, here)
}

/** How often the WAL is checkpointed (tests shorten it). */
export interface CheckpointTuning { checkpointIntervalMs?: number }

/** Where the relay runs SQLite: on a worker thread of its own, or on the event loop. */
export type StoreThread = 'worker' | 'main'

/**
 * `auto` is `worker` with three or more cores and `main` with one or two: with two, a store thread
 * competes with the event loop, the checkpointer and anything else on the machine for a core, and
 * each batch pays two thread wake-ups. Measured on two cores (test/bench/README.md), `main` used
 * about 15% of a core less at 10,000 msgs/s with a lower median ack latency and the same throughput.
 */
export function resolveStoreThread(setting: string, cores = availableParallelism()): StoreThread {
  const s = setting.toLowerCase()
  if (s === 'worker' || s === 'main') return s
  if (s === 'auto') return cores >= 3 ? 'worker' : 'main'
  throw new Error('--store-thread must be auto, worker or main')
}

/**
 * The relay's store. `worker` (createWorkerSqliteStore) leaves the event loop free during commits
 * and uses a second core, and a thread of its own copies the bulk of the WAL into the database file,
 * so no commit waits for that (checkpointer.ts). `main` commits on the event loop, with no hop
 * between threads, which measured better on two cores shared with other busy processes, and
 * checkpoints there too, between commits: a checkpointer thread would compete for the same two
 * cores, and its V8 isolate is memory the relay holds for good (test/bench/README.md).
 */
export async function createRelaySqliteStore(opts: SqliteStoreOptions, thread: StoreThread, tuning: CheckpointTuning = {}): Promise<Store> {
  if (thread === 'worker') return createWorkerSqliteStore(opts, tuning)
  return createSqliteStore({ ...opts, checkpoint: 'between-commits', checkpointIntervalMs: tuning.checkpointIntervalMs })
}

/**
 * Starts the checkpointer thread on `file` (which must exist with its schema). A failed
 * checkpointer is not fatal: commits go on, the WAL just grows until the relay restarts (closing
 * the store checkpoints it). `stop()` runs a last checkpoint and ends the thread.
 */
function startCheckpointer(file: string, caughtUp: SharedArrayBuffer, tuning: CheckpointTuning): { stop(): Promise<void> } {
  const intervalMs = tuning.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS
  const checkpointer = new Worker(workerUrl('checkpointer'), { workerData: { file, intervalMs, caughtUp } })
  checkpointer.unref()
  checkpointer.on('error', () => {})
  return {
    async stop() {
      await new Promise<void>((resolve) => {
        checkpointer.once('message', () => resolve())
        checkpointer.once('exit', () => resolve())
        checkpointer.postMessage('stop')
      })
      await checkpointer.terminate()
    },
  }
}

/** Starts the worker, applies migrations there, and resolves once the store is ready. */
export async function createWorkerSqliteStore(opts: SqliteStoreOptions, tuning: CheckpointTuning = {}): Promise<Store> {
  const caughtUp = new SharedArrayBuffer(4)
  const worker = new Worker(workerUrl('store-worker'), { workerData: { ...opts, checkpoint: 'external', checkpointCaughtUp: caughtUp } })
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let failure: Error | null = null

  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ready: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(m.error))))
    worker.once('error', reject)
  })

  // Started after the store worker has created the file and its schema.
  const checkpointer = startCheckpointer(opts.file, caughtUp, tuning)

  worker.on('message', (res: StoreResponse) => {
    const p = pending.get(res.id)
    if (!p) return
    pending.delete(res.id)
    if (res.ok) p.resolve(res.value)
    else p.reject(Object.assign(new Error(res.error.message), { name: res.error.name }, res.error.code ? { code: res.error.code } : {}))
  })
  // A dead worker fails every waiting and later call: the relay answers PARLEY_ERR_SERVER_STORE
  // and acks nothing, rather than waiting forever.
  const die = (err: Error) => {
    failure ??= err
    for (const p of pending.values()) p.reject(failure)
    pending.clear()
  }
  worker.on('error', (err) => die(new StoreUnavailableError('store worker failed', { cause: err })))
  worker.on('exit', (code) => die(new StoreUnavailableError(`store worker exited (${code})`)))

  const call = (method: StoreRequest['method'], args: unknown[]): Promise<unknown> => {
    if (failure) return Promise.reject(failure)
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      worker.postMessage({ id, method, args } satisfies StoreRequest)
    })
  }

  const store = Object.fromEntries(STORE_METHODS.filter((m) => m !== 'close').map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as Store
  // A batch crosses as one JSON string each way, cheaper than the structured clone of its objects
  // (test/bench/README.md).
  store.appendMessages = async (batch) =>
    unpackAppendResults(batch, JSON.parse((await call('appendMessages', [JSON.stringify(batch)])) as string) as PackedAppendResult[])
  store.close = async () => {
    // The checkpointer goes first, so the store's connection is the last one and closing it copies
    // the WAL into the database file.
    await checkpointer.stop()
    if (!failure) await call('close', [])
    await worker.terminate()
  }
  return store
}
