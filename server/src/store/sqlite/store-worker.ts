import { parentPort, workerData } from 'node:worker_threads'
import type { AppendRequest, AppendResult, Store } from '../store.js'
import { packAppendResults } from './append-wire.js'
import { createSqliteStore, type SqliteStoreOptions } from './sqlite-store.js'

// The SQLite store on its own thread: commits (and their fsyncs) and checkpoints run here while the
// relay's event loop keeps reading and writing sockets. Requests are served one at a time, in order.

/** A request from the relay thread. */
export interface StoreRequest { id: number; method: keyof Store; args: unknown[] }
/** The answer to one request. */
export type StoreResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string; code?: string } }

const port = parentPort!
let store: Store
try {
  store = createSqliteStore(workerData as SqliteStoreOptions)
  port.postMessage({ ready: true })
} catch (err) {
  port.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) })
  process.exit(1)
}

port.on('message', (req: StoreRequest) => {
  const method = store[req.method] as (...args: unknown[]) => Promise<unknown>
  // appendMessages' batch and results cross as JSON strings (worker-store.ts).
  const append = req.method === 'appendMessages'
  const args = append ? [JSON.parse(req.args[0] as string) as AppendRequest[]] : req.args
  method.apply(store, args).then(
    (value) => {
      const v = append ? JSON.stringify(packAppendResults(args[0] as AppendRequest[], value as AppendResult[])) : value
      port.postMessage({ id: req.id, ok: true, value: v } satisfies StoreResponse)
    },
    (err: unknown) => {
      const e = err instanceof Error ? err : new Error(String(err))
      const code = (e as { code?: unknown }).code
      port.postMessage({ id: req.id, ok: false, error: { name: e.name, message: e.message, ...(typeof code === 'string' ? { code } : {}) } } satisfies StoreResponse)
    },
  )
})
