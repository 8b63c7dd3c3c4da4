import type { FastifyInstance } from 'fastify'
import type { Deps } from '../deps.js'
import type { BlobStore } from './blob-store.js'
import { startPeriodicJob } from '../periodic-job.js'

// Uploads never sent in a message are deleted after a day: the record first, and only while it is
// still unsent (a message may bind it at the last moment), then its blobs. A crash between the two
// leaves a blob no record names, which costs disk but never a file a message refers to.

/** How long an upload no message has sent is kept: a day, then the sweep deletes record and blobs. */
export const UNSENT_TTL_MS = 24 * 60 * 60 * 1000
const SWEEP_INTERVAL_MS = 15 * 60 * 1000
const SWEEP_BATCH = 500

/** Deletes the uploads never sent and older than UNSENT_TTL_MS; resolves with how many. */
export async function sweepUnsentAttachments(deps: Pick<Deps, 'store' | 'clock'>, blobs: BlobStore): Promise<number> {
  let deleted = 0
  for (;;) {
    const batch = await deps.store.listUnsentAttachments(deps.clock.now() - UNSENT_TTL_MS, SWEEP_BATCH)
    for (const a of batch) {
      await deps.store.deleteAttachment(a.brandId, a.attachmentId)
      if (await deps.store.getAttachment(a.brandId, a.attachmentId)) continue
      await blobs.delete(a.blobKey)
      if (a.thumbKey) await blobs.delete(a.thumbKey)
      deleted++
    }
    if (batch.length < SWEEP_BATCH) return deleted
  }
}

/** Runs the sweep every SWEEP_INTERVAL_MS while `app` is up. */
export function startAttachmentSweep(app: FastifyInstance, deps: Pick<Deps, 'store' | 'clock'>, blobs: BlobStore): void {
  const job = startPeriodicJob(SWEEP_INTERVAL_MS, async () => {
    const n = await sweepUnsentAttachments(deps, blobs)
    if (n > 0) app.log.info({ deleted: n }, 'unsent attachments swept')
  }, (err: unknown) => app.log.warn({ err }, 'attachment sweep failed'))
  app.addHook('onReady', async () => { job.runNow() })
  // A sweep in flight finishes before the store closes.
  app.addHook('onClose', async () => { await job.stop() })
}
