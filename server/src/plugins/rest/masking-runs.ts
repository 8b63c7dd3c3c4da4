import type { FastifyPluginAsync } from 'fastify'
import { MaskingRun, MaskingRunParams } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'
import { runCounts, runMaskingRun, toMaskingRun, type MaskExistingOptions } from '../../masking/mask-existing.js'
import type { BrandMaskers } from '../../masking/brand-maskers.js'
import type { SenderTails } from '../../relay/sender-tails.js'

// Masking a brand's existing data from the relay (the SDK's parley.masking runs): the relay runs the
// job in the background, so live clients are told about every message it rewrites
// (message.redacted), and the caller polls the run. One job per run at a time in this process.
// Another node may run a job over the same run at once (a POST through each): that only costs work,
// never a wrong or doubled write. Every batch commits with the run's position it was read from
// (Store.commitMaskingStep), so of two jobs' copies of a batch one is written, and one
// message.redacted goes out per rewrite; the other job's copy is refused and it follows the run.

/** How the relay's masking jobs run (tests slow them down to interrupt one). */
export type MaskingRunOptions = Pick<MaskExistingOptions, 'batchSize' | 'pauseMs'>

/** POST /v1/masking/runs (config.write) and GET /v1/masking/runs/:runId (config.read). */
export const maskingRunRoutes: FastifyPluginAsync<{
  deps: Deps; maskers: BrandMaskers; senderTails: SenderTails; options?: MaskingRunOptions
}> = async (app, { deps, maskers, senderTails, options }) => {
  const active = new Map<string, Promise<unknown>>()
  const stop = new AbortController()
  // Closing stops each job after its current batch; it stays `running` and resumes on the next POST.
  app.addHook('onClose', async () => {
    stop.abort()
    await Promise.allSettled(active.values())
  })

  // Starts a run, or resumes the brand's unfinished one (interrupted, failed, or still going).
  app.post('/v1/masking/runs', {
    schema: { summary: "Start a masking run over the brand's stored data, or resume its unfinished one", response: { 202: MaskingRun } },
    preHandler: app.authorize('config.write'),
  }, async (req, reply) => {
    const brandId = req.principal!.brandId
    const run = await deps.store.startMaskingRun(brandId, deps.ids.next('mr_'), deps.clock.now())
    if (!active.has(run.runId)) {
      // The brand's current configuration, as the message path uses it (a save replaces it there too).
      const masker = await maskers.get(brandId)
      req.log.info({ brandId, runId: run.runId, phase: run.phase, position: run.position }, 'masking run started')
      const job = runMaskingRun(deps, brandId, run.runId, { ...options, masker, signal: stop.signal, onRewritten: (b, m) => senderTails.rewritten(b, m) }).then(
        (r) => {
          const fields = { brandId, runId: r.runId, status: r.status, ...runCounts(r), walEmptied: r.walEmptied }
          if (r.walEmptied === false) app.log.warn(fields, 'masking run done, but a reader kept the WAL busy: it may still hold original texts (run again, or parley mask-existing)')
          else app.log.info(fields, 'masking run stopped')
        },
        (err: unknown) => app.log.error({ err, brandId, runId: run.runId }, 'masking run failed'),
      ).finally(() => active.delete(run.runId))
      active.set(run.runId, job)
    }
    await app.audit.recordRequest(req, {
      action: 'config.change', resource: { type: 'masking-run', id: run.runId },
      detail: { document: 'masking-run', how: 'start', phase: run.phase },
    })
    return reply.code(202).send(toMaskingRun(run))
  })

  app.get<{ Params: MaskingRunParams }>('/v1/masking/runs/:runId', {
    schema: { summary: 'A masking run: its status and counts', params: MaskingRunParams, response: { 200: MaskingRun } },
    preHandler: app.authorize('config.read'),
  }, async (req) => {
    const run = await deps.store.getMaskingRun(req.principal!.brandId, req.params.runId)
    if (!run) throw httpError('PARLEY_ERR_MASKING_RUN_NOT_FOUND', req.params.runId)
    return toMaskingRun(run)
  })
}
