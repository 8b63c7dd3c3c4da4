import { parentPort, workerData } from 'node:worker_threads'
import Database from 'better-sqlite3'

// Copies the write-ahead log into the database file on its own thread and connection. A checkpoint
// writes pages all over the file and fsyncs it; run inside a commit (SQLite's default) it would hold
// up the acks of every message in that batch. PASSIVE never blocks the writer: it copies what it can
// and leaves the rest for the next round.

const { file, intervalMs } = workerData as { file: string; intervalMs: number }
const db = new Database(file)
db.pragma('busy_timeout = 1000')
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)')
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
