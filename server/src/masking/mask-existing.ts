import { setTimeout as sleep } from 'node:timers/promises'
import type { MaskingRun, VisitorContext } from '@parley/sdk/contract'
import { createMasker, type Masker, type PatternCompiler } from '@parley/sdk/masking'
import type { Bus } from '../bus/bus.js'
import type { Clock } from '../deps.js'
import type { MaskingItem, MaskingPhase, MaskingRunRecord, RewrittenMessage, Store } from '../store/store.js'
import { maskContext } from './context-masking.js'
import { re2Compiler } from './re2-compiler.js'

// Masks a brand's existing data under its current masking configuration: every stored message
// (message table and search index), then the contexts stored on conversations and visitors, then
// internal notes (transfer notes too) and attachment names. A rewritten message's copies in webhook
// bodies (message.created, offline.created; queued or in the log) are rewritten in the same batch.
// A rewritten message reaches live clients (message.redacted); a rewritten note or file name does
// not (no frame carries one), an agent sees it the next time the conversation's notes or messages
// are loaded. Run by the relay (POST /v1/masking/runs) and by `parley mask-existing`. Each batch is read, masked here,
// and written back in one short transaction with the run's progress (store/sqlite/masking-runs.ts),
// so the relay's own writes wait at most one batch, a killed run resumes from its last batch, and a
// row the relay changed meanwhile is read again rather than overwritten.

const NEXT_PHASE: Record<Exclude<MaskingPhase, 'done'>, MaskingPhase> = {
  messages: 'conversations', conversations: 'visitors', visitors: 'notes', notes: 'attachments', attachments: 'done',
}

/** Rows per batch: one transaction each, short enough that appends queued behind it barely wait. */
export const MASKING_BATCH = 200
/** Times in a row one batch may find its rows changed before the run gives up (a livelock guard). */
const MAX_STALE_IN_A_ROW = 50

/** What a run needs; `bus` (the relay's) tells live clients about rewritten messages. */
export interface MaskExistingDeps {
  store: Store
  clock: Clock
  bus?: Bus
}

/** How to run; every field has a default. */
export interface MaskExistingOptions {
  batchSize?: number
  /** A pause between batches, leaving the database to the relay (0: only yield to the event loop). */
  pauseMs?: number
  /** The brand's masker (the relay's cached one); else its saved configuration compiled with `compile` (default re2). */
  masker?: Masker
  compile?: PatternCompiler
  /** Called for each message a committed batch rewrote (the relay updates what it keeps in memory). */
  onRewritten?: (brandId: string, m: RewrittenMessage) => void
  /** Called after each committed batch with the run as stored. */
  onProgress?: (run: MaskingRunRecord) => void
  /** Stops the run after the current batch; it stays `running` and resumes on the next start. */
  signal?: AbortSignal
  /** How a finished run keeps trying to empty the WAL (default RELAY_WAL_RETRY). */
  walRetry?: WalRetry
}

/** Attempts at emptying the WAL (Store.truncateWal) and the pause between two of them. */
export interface WalRetry { attempts: number; intervalMs: number }

/** The relay's: a few tries about a second in all, each one never waiting, so the event loop stays free. */
export const RELAY_WAL_RETRY: WalRetry = { attempts: 5, intervalMs: 250 }

/** A run as stored, and whether its end emptied the WAL (null: the run did not finish, nothing tried). */
export interface MaskingRunOutcome extends MaskingRunRecord {
  walEmptied: boolean | null
}

/** The REST shape of a run (MaskingRun): message counts, the contexts' counts stay in the CLI's report. */
export function toMaskingRun(r: MaskingRunRecord): MaskingRun {
  return { runId: r.runId, status: r.status, startedAt: r.startedAt, finishedAt: r.finishedAt, scanned: r.scanned, changed: r.changed }
}

/** A run's looked-at and changed counts of every phase, for the CLI's summary and the relay's log. */
export function runCounts(r: MaskingRunRecord): Pick<MaskingRunRecord, 'scanned' | 'changed' | 'contextsScanned' | 'contextsChanged' | 'notesScanned' | 'notesChanged' | 'filesScanned' | 'filesChanged'> {
  return {
    scanned: r.scanned, changed: r.changed, contextsScanned: r.contextsScanned, contextsChanged: r.contextsChanged,
    notesScanned: r.notesScanned, notesChanged: r.notesChanged, filesScanned: r.filesScanned, filesChanged: r.filesChanged,
  }
}

/**
 * Works through a started run (Store.startMaskingRun) until it is done or `signal` aborts; resolves
 * with the run as stored and, for a run done, whether the WAL was emptied after it (emptyWal). A
 * store error marks the run failed (a later start resumes it) and rejects.
 */
export async function runMaskingRun(deps: MaskExistingDeps, brandId: string, runId: string, opts: MaskExistingOptions = {}): Promise<MaskingRunOutcome> {
  const { store } = deps
  const batch = Math.max(1, opts.batchSize ?? MASKING_BATCH)
  // The configuration is read once per start: a run resumed after a change carries on under the new one.
  const masker = opts.masker ?? createMasker(await store.getMaskingConfig(brandId), opts.compile ?? re2Compiler)
  let run = await store.getMaskingRun(brandId, runId)
  if (!run) throw new Error(`no masking run ${runId}`)
  let stale = 0
  try {
    while (run.phase !== 'done' && run.status !== 'done' && !opts.signal?.aborted) {
      const phase = run.phase
      const items = await store.readMaskingItems(brandId, phase, run.position, batch)
      const result = await store.commitMaskingStep(brandId, runId, {
        phase,
        from: run.position,
        to: items.length > 0 ? items[items.length - 1]!.key : run.position,
        // A short batch reached the end: messages appended after it went through the relay's pipeline.
        next: items.length < batch ? NEXT_PHASE[phase] : null,
        scanned: items.length,
        rewrites: rewrites(items, phase, masker),
        at: deps.clock.now(),
      })
      if (!result.ok) {
        if (!result.run) throw new Error(`masking run ${runId} is gone`)
        // Another runner moved the run on (the command beside the relay): follow it. The same batch
        // refused again and again means its rows keep changing under it.
        const movedOn = result.run.phase !== phase || result.run.position !== run.position
        if (!movedOn && ++stale > MAX_STALE_IN_A_ROW) throw new Error(`masking run ${runId}: rows kept changing under ${stale} batches in a row`)
        run = result.run
        continue
      }
      stale = 0
      run = result.run
      for (const r of result.redacted) {
        opts.onRewritten?.(brandId, r)
        deps.bus?.publish({
          brandId,
          audience: { kind: 'conversation', convId: r.convId, visitorId: r.visitorId },
          frame: { type: 'message.redacted', convId: r.convId, seq: r.seq, text: r.text },
        })
      }
      opts.onProgress?.(run)
      if (opts.pauseMs) await sleep(opts.pauseMs)
      else await new Promise((resolve) => setImmediate(resolve))
    }
  } catch (err) {
    await store.failMaskingRun(brandId, runId, deps.clock.now()).catch(() => {})
    throw err
  }
  const walEmptied = run.status === 'done' ? await emptyWal(store, opts.walRetry ?? RELAY_WAL_RETRY) : null
  return { ...run, walEmptied }
}

/**
 * Empties the WAL, where the frames of commits before a run still hold the texts it rewrote: tries
 * `retry.attempts` times, pausing between tries (a reader's snapshot or a checkpoint on another
 * connection keeps it busy meanwhile). Resolves true once emptied, false when every try found it busy.
 */
export async function emptyWal(store: Pick<Store, 'truncateWal'>, retry: WalRetry): Promise<boolean> {
  for (let i = 0; i < Math.max(1, retry.attempts); i++) {
    if (i > 0) await sleep(retry.intervalMs)
    if (await store.truncateWal()) return true
  }
  return false
}

/** The batch's texts that masking changes, with the text each replaces. */
function rewrites(items: readonly MaskingItem[], phase: MaskingPhase, masker: Masker): { key: number; before: string; after: string }[] {
  const out: { key: number; before: string; after: string }[] = []
  if (!masker.active) return out
  for (const item of items) {
    const context = phase === 'conversations' || phase === 'visitors'
    const after = context ? maskStoredContext(item.text, masker) : masker.mask(item.text).text
    if (after !== item.text) out.push({ key: item.key, before: item.text, after })
  }
  return out
}

/** A stored context (its JSON) masked; the same string when nothing changed or it is not a context. */
function maskStoredContext(json: string, masker: Masker): string {
  let ctx: unknown
  try {
    ctx = JSON.parse(json)
  } catch {
    return json
  }
  if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) return json
  const masked = maskContext(masker, ctx as VisitorContext)
  return masked === ctx ? json : JSON.stringify(masked)
}
