import { open, readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { VisitorDataStore } from '../store/store.js'

// The erasure ledger: one JSON line per erasure or consent withdrawal, written (and fsynced) before
// it touches the store, and kept apart from backups. Restoring an older backup replays it, so erased
// data stays erased and withdrawn behavioural values stay deleted. It holds ids and a time only:
// nothing a person typed, no selector (it may be an e-mail). Lines without a `kind` are erasures
// (the ledger's first format), so older ledgers read as they always did.

/** One erasure as the ledger keeps it. */
export interface ErasureLedgerEntry {
  v: 1
  kind?: 'erasure'
  brandId: string
  requestId: string
  visitorIds: string[]
  convIds: string[]
  at: number
}

/** One consent withdrawal: replayed as recordConsent(denied), which deletes the behavioural values again. */
export interface ConsentDenialEntry {
  v: 1
  kind: 'consent-denied'
  brandId: string
  visitorIds: string[]
  at: number
}

/** A line of the ledger. */
export type LedgerEntry = ErasureLedgerEntry | ConsentDenialEntry

/** The ledger's file name in the data directory. */
export const ERASURE_LEDGER_FILE = 'erasure-ledger.jsonl'

/** The ledger path: PARLEY_ERASURE_LEDGER when set, else erasure-ledger.jsonl in the data directory. */
export function erasureLedgerPath(dataDir: string, env: NodeJS.ProcessEnv): string {
  const fromEnv = env.PARLEY_ERASURE_LEDGER
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(dataDir, ERASURE_LEDGER_FILE)
}

/** How many conversations one eraseConversations call takes (one store transaction each). */
export const ERASE_BATCH = 50

// Appends to one file go one at a time, so the check for a torn last line and the write can't interleave.
const queues = new Map<string, Promise<void>>()

/**
 * Appends `entry` as one line and fsyncs it (and the directory when the file is new) before
 * resolving: once this resolves, a crash or a restore can't lose the erasure.
 */
export function appendErasure(path: string, entry: LedgerEntry): Promise<void> {
  const previous = queues.get(path) ?? Promise.resolve()
  const next = previous.catch(() => {}).then(() => writeLine(path, entry))
  queues.set(path, next)
  void next.finally(() => { if (queues.get(path) === next) queues.delete(path) }).catch(() => {})
  return next
}

async function writeLine(path: string, entry: LedgerEntry): Promise<void> {
  const file = await open(path, 'a+', 0o600)
  let created = false
  try {
    const { size } = await file.stat()
    created = size === 0
    let line = JSON.stringify(entry) + '\n'
    // A crash mid-write leaves a line without its newline: start on a fresh line, so the torn one
    // stays a line of its own (which readErasures skips) and this one stays whole.
    if (size > 0) {
      const last = Buffer.alloc(1)
      await file.read(last, 0, 1, size - 1)
      if (last[0] !== 0x0a) line = '\n' + line
    }
    await file.appendFile(line, 'utf8')
    await file.sync()
  } finally {
    await file.close()
  }
  if (created) await syncDir(dirname(path))
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * The ledger's entries, oldest first; [] when there is no file. A line that is not a whole entry
 * (the torn end of a write a crash cut short) is skipped.
 */
export async function readErasures(path: string): Promise<LedgerEntry[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  return parseLedger(text)
}

/** The entries of a ledger's text (readErasures without the file). */
export function parseLedger(text: string): LedgerEntry[] {
  const entries: LedgerEntry[] = []
  for (const line of text.split('\n')) {
    const entry = parseLine(line)
    if (entry) entries.push(entry)
  }
  return entries
}

function parseLine(line: string): LedgerEntry | null {
  if (line.trim() === '') return null
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch {
    return null
  }
  const e = value as Partial<ErasureLedgerEntry> & Partial<Pick<ConsentDenialEntry, 'kind'>>
  const isIds = (a: unknown): a is string[] => Array.isArray(a) && a.every((x) => typeof x === 'string')
  if (e === null || typeof e !== 'object' || e.v !== 1 || typeof e.brandId !== 'string' || !isIds(e.visitorIds) || typeof e.at !== 'number') return null
  if (e.kind === 'consent-denied') return { v: 1, kind: 'consent-denied', brandId: e.brandId, visitorIds: e.visitorIds, at: e.at }
  // A kind this version does not know (a newer relay's) is skipped, like a torn line.
  if ((e.kind !== undefined && e.kind !== 'erasure') || typeof e.requestId !== 'string' || !isIds(e.convIds)) return null
  return { v: 1, brandId: e.brandId, requestId: e.requestId, visitorIds: e.visitorIds, convIds: e.convIds, at: e.at }
}

/** What a replay erased again (conversations and visitors the store still had, consents withdrawn again). */
export interface ReplayResult {
  entries: number
  conversations: number
  visitors: number
  consents: number
}

/**
 * Erases again what each entry erased: its conversations (stubs stay) and its visitors' records;
 * withdraws again each consent withdrawn. Idempotent: what is already erased (or denied) is
 * skipped and not counted, unknown ids are ignored.
 */
export async function replayErasures(store: Pick<VisitorDataStore, 'eraseConversations' | 'eraseVisitor' | 'getVisitor' | 'recordConsent' | 'scrubFreePages'>, entries: readonly LedgerEntry[]): Promise<ReplayResult> {
  const result: ReplayResult = { entries: entries.length, conversations: 0, visitors: 0, consents: 0 }
  for (const entry of entries) {
    if (entry.kind === 'consent-denied') {
      result.consents += await replayDenial(store, entry)
      continue
    }
    for (let i = 0; i < entry.convIds.length; i += ERASE_BATCH) {
      const done = await store.eraseConversations(entry.brandId, entry.convIds.slice(i, i + ERASE_BATCH), entry.at)
      result.conversations += done.erased.length
    }
    for (const visitorId of entry.visitorIds) {
      const done = await store.eraseVisitor(entry.brandId, visitorId, entry.at)
      result.visitors += done.visitors
    }
  }
  // Once for the whole replay, as an erasure does; the caller empties the WAL after.
  if (result.conversations > 0) await store.scrubFreePages()
  return result
}

/**
 * Denies again for each visitor whose stored consent is not a denial (a later grant is lost too:
 * the widget says the visitor's choice again on their next page, and not tracking is the safe side).
 */
async function replayDenial(store: Pick<VisitorDataStore, 'getVisitor' | 'recordConsent'>, entry: ConsentDenialEntry): Promise<number> {
  let denied = 0
  for (const visitorId of entry.visitorIds) {
    const visitor = await store.getVisitor(entry.brandId, visitorId)
    if (!visitor || visitor.consent === 'denied') continue
    await store.recordConsent(entry.brandId, visitorId, { state: 'denied', source: 'api', at: entry.at })
    denied++
  }
  return denied
}
