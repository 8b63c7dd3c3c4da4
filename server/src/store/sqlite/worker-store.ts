import { Worker } from 'node:worker_threads'
import type { Store } from '../store.js'
import type { SqliteStoreOptions } from './sqlite-store.js'
import type { StoreRequest, StoreResponse } from './store-worker.js'
import { unpackAppendResults, type PackedAppendResult } from './append-wire.js'

// The relay's default store: the SQLite store running on a worker thread, so that storage uses the
// second core and a commit's fsync never stalls the event loop. Same contract as the in-thread store
// (the store contract suite runs against both).

const METHODS = [
  'createBrand', 'getBrand', 'getBrandBySiteKey', 'getBrandByApiKeyHash', 'isOriginAllowedAnywhere',
  'createAgent', 'getAgent', 'getAgentByEmail', 'listAgents', 'recordVisit', 'getConversation', 'listParticipantConversations',
  'listConversations', 'joinConversation', 'isParticipant', 'closeConversation', 'assignConversation', 'listQueue',
  'updateVisitorContext', 'getWidgetConfig', 'setWidgetConfig', 'markRead', 'appendMessages',
  'readMessages', 'ping',
] as const satisfies readonly Exclude<keyof Store, 'close'>[]

// Compiled code runs dist/…/worker-store.js beside store-worker.js; tests that load the TypeScript
// source still start the compiled worker (npm test builds first).
function workerUrl(name: string): URL {
  const here = import.meta.url
  return here.endsWith('.ts') ? new URL(`../../../dist/store/sqlite/${name}`, here) : new URL(`./${name}`, here)
}

const CHECKPOINT_INTERVAL_MS = 250

/** Starts the worker, applies migrations there, and resolves once the store is ready. */
export async function createWorkerSqliteStore(opts: SqliteStoreOptions): Promise<Store> {
  const worker = new Worker(workerUrl('store-worker.js'), { workerData: { ...opts, checkpoint: 'external' } })
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let nextId = 1
  let failure: Error | null = null

  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ready: boolean; error?: string }) => (m.ready ? resolve() : reject(new Error(m.error))))
    worker.once('error', reject)
  })

  // Started after the store worker has created the file and its schema.
  const checkpointer = new Worker(workerUrl('checkpointer.js'), { workerData: { file: opts.file, intervalMs: CHECKPOINT_INTERVAL_MS } })
  checkpointer.unref()
  // A failed checkpointer is not fatal: commits go on, the WAL just grows until the relay restarts
  // (closing the store checkpoints it). The store worker surfaces real database failures itself.
  checkpointer.on('error', () => {})

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
  worker.on('error', die)
  worker.on('exit', (code) => die(new Error(`store worker exited (${code})`)))

  const call = (method: StoreRequest['method'], args: unknown[]): Promise<unknown> => {
    if (failure) return Promise.reject(failure)
    const id = nextId++
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      worker.postMessage({ id, method, args } satisfies StoreRequest)
    })
  }

  const store = Object.fromEntries(METHODS.map((m) => [m, (...args: unknown[]) => call(m, args)])) as unknown as Store
  store.appendMessages = async (batch) => unpackAppendResults(batch, (await call('appendMessages', [batch])) as PackedAppendResult[])
  store.close = async () => {
    // The checkpointer goes first, so the store's connection is the last one and closing it folds
    // the WAL into the database file.
    await new Promise<void>((resolve) => {
      checkpointer.once('message', () => resolve())
      checkpointer.once('exit', () => resolve())
      checkpointer.postMessage('stop')
    })
    await checkpointer.terminate()
    if (!failure) await call('close', [])
    await worker.terminate()
  }
  return store
}
