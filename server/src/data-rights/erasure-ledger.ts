import { readFile } from 'node:fs/promises'
import type { Store } from '../store/store.js'

// The erasure ledger: one JSON line per erasure, ids only, kept apart from the database and its
// backups. Replaying it on a restored (older) database erases again what was erased since.
// (w-backup's stand-in with w-erase's API; w-erase's module replaces it on merge.)

/** One erasure as the ledger records it. */
export interface ErasureLedgerEntry {
  v: 1
  brandId: string
  requestId: string
  visitorIds: string[]
  convIds: string[]
  at: number
}

/** The ledger's entries, oldest first; [] when the file is missing. A torn last line (a crash mid-append) is skipped. */
export async function readErasures(path: string): Promise<ErasureLedgerEntry[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const lines = text.split('\n')
  const entries: ErasureLedgerEntry[] = []
  lines.forEach((line, i) => {
    if (line.trim() === '') return
    try {
      const e = JSON.parse(line) as ErasureLedgerEntry
      if (e.v === 1 && typeof e.brandId === 'string' && Array.isArray(e.visitorIds) && Array.isArray(e.convIds)) entries.push(e)
    } catch (err) {
      if (i < lines.length - 1 && lines.slice(i + 1).some((l) => l.trim() !== '')) throw new Error(`erasure ledger ${path}: line ${i + 1} is not JSON`, { cause: err })
    }
  })
  return entries
}

/** Erases again what each entry erased; entries already applied change nothing. */
export async function replayErasures(store: Store, entries: readonly ErasureLedgerEntry[]): Promise<{ conversations: number; visitors: number }> {
  let conversations = 0
  let visitors = 0
  for (const e of entries) {
    if (e.convIds.length > 0) conversations += (await store.eraseConversations(e.brandId, e.convIds, e.at)).erased.length
    for (const visitorId of e.visitorIds) visitors += (await store.eraseVisitor(e.brandId, visitorId, e.at)).visitors
  }
  return { conversations, visitors }
}
