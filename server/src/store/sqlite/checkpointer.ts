import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

// Copies the write-ahead log into the database file on its own thread and connection. A checkpoint
// writes pages all over the file and fsyncs it; run inside a commit (SQLite's default) it would hold
// up the acks of every message in that batch. PASSIVE never blocks the writer: it copies what it can
// and leaves the rest for the next round.
//
// A checkpoint on this connection can never let the WAL start over while the relay keeps writing:
// SQLite rewinds the WAL only when a write transaction begins with every frame copied, and the relay
// commits again before this thread finishes. Under steady load the WAL would grow without end, and
// each commit would append to a growing file, whose fsync costs several times that of an overwrite.
// So after a round that copied every frame it saw, this thread bumps `caughtUp`; the writer then
// copies the few frames written since, on its own connection, between two commits (sqlite-store.ts),
// and its next commit rewinds the WAL.

const { file, intervalMs, caughtUp } = workerData as { file: string; intervalMs: number; caughtUp?: SharedArrayBuffer }
const rounds = caughtUp ? new Int32Array(caughtUp) : null
const db = new Database(file)
db.pragma('busy_timeout = 1000')
const checkpoint = () => {
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[]
    if (rounds && r && r.busy === 0 && r.log > 0 && r.checkpointed === r.log) Atomics.add(rounds, 0, 1)
  } catch {
    // Busy or shutting down: the next round tries again.
  }
}
const timer = setInterval(checkpoint, intervalMs)
parentPort!.on('message', (m: string) => {
  if (m !== 'stop') return
  clearInterval(timer)
  checkpoint()
  db.close()
  parentPort!.postMessage('stopped')
})
