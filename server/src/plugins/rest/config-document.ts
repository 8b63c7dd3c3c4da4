import type { FastifyInstance, FastifyRequest } from 'fastify'
import { Type, type TSchema } from '@sinclair/typebox'
import { Ajv } from 'ajv'
import { MergePatch, type Action } from '@parley/sdk/contract'
import { httpError } from '../../errors.js'
import { mergePatch } from '../../admin/merge-patch.js'
import type { Deps } from '../../deps.js'
import { holdConfigWrite } from './config-write-lease.js'

// A brand's configuration document (widget config, masking, …) behind one URL: GET reads it, PUT
// replaces it whole, PATCH merges a JSON Merge Patch into it. Writing is config.write (admins, keys
// with config:write) and reading config.read, unless the document names other actions (the
// documents agents' consoles read are team.read; the privacy settings, whose retention periods
// purge history, are written with data.erase).

const MERGE_PATCH = 'application/merge-patch+json'

/** One configuration document: its schema, where it is stored, and the checks of a save. */
export interface ConfigDocument<T> {
  url: string
  /** What the document is, for the API description: `the widget configuration`. */
  name: string
  schema: TSchema
  read(brandId: string): Promise<T>
  /** Checks and stores a document; throws a coded error to change nothing. Returns what was stored. */
  save(req: FastifyRequest, brandId: string, doc: T): Promise<T>
  /** Rewrites a merge patch before it is applied (widget config: canonical language tags). */
  preparePatch?(patch: unknown): unknown
  /** The action GET asks the policy about (default config.read). */
  readAction?: Action
  /** The action PUT, PATCH and DELETE ask about (default config.write): a document whose change can destroy data asks for more. */
  writeAction?: Action
  /** Given: DELETE removes the document (answered 204), in turn with PUT and PATCH. */
  remove?(req: FastifyRequest, brandId: string): Promise<void>
}

/** Registers GET, PUT and PATCH for a brand's configuration document. */
export function configDocumentRoutes<T>(app: FastifyInstance, deps: Pick<Deps, 'store' | 'clock'>, doc: ConfigDocument<T>): void {
  // PATCH validates the merged document with the same schema and the same messages as a PUT body.
  const writeAction = doc.writeAction ?? 'config.write'
  const validate = new Ajv({ removeAdditional: false, useDefaults: false, coerceTypes: false, allErrors: false }).compile<T>(doc.schema)
  // A PATCH reads, merges and writes; two at once for one brand must not lose either's change, and
  // a PUT waits its turn too, or a PATCH that read before it wrote would put the old fields back.
  // On this node writes queue here; across nodes each holds the document's lease in the store.
  const writing = new Map<string, Promise<unknown>>()
  // Every change of every document is one config.change entry, written once the change is stored
  // and before it is answered: which document, how, and (for a patch) the names of the fields sent.
  const document = doc.url.replace(/^\/v1\//, '')
  const audited = (req: FastifyRequest, how: 'replace' | 'patch' | 'remove', fields?: string) => app.audit.recordRequest(req, {
    action: 'config.change', resource: { type: 'config', id: document },
    detail: { document, how, ...(fields !== undefined ? { fields } : {}) },
  })
  function oneAtATime<R>(brandId: string, job: () => Promise<R>): Promise<R> {
    const leased = () => holdConfigWrite(deps, brandId, doc.url, job)
    const run = (writing.get(brandId) ?? Promise.resolve()).then(leased, leased)
    const done = run.catch(() => {})
    writing.set(brandId, done)
    void done.then(() => { if (writing.get(brandId) === done) writing.delete(brandId) })
    return run
  }

  app.get(doc.url, {
    schema: { summary: `Read ${doc.name}`, response: { 200: doc.schema } },
    preHandler: app.authorize(doc.readAction ?? 'config.read'),
  }, async (req) => doc.read(req.principal!.brandId))

  // Replaces the whole document: a field left out goes back to its default.
  app.put<{ Body: T }>(doc.url, {
    schema: { summary: `Replace ${doc.name} whole`, body: doc.schema, response: { 200: doc.schema } },
    preHandler: app.authorize(writeAction),
  }, async (req) => {
    if (String(req.headers['content-type'] ?? '').startsWith(MERGE_PATCH)) {
      throw httpError('PARLEY_ERR_REQUEST_INVALID', `PUT replaces the whole config; send ${MERGE_PATCH} with PATCH`)
    }
    const brandId = req.principal!.brandId
    return oneAtATime(brandId, async () => {
      const saved = await doc.save(req, brandId, req.body as T)
      await audited(req, 'replace', fieldNames(req.body))
      return saved
    })
  })

  // Changes only what the patch names (RFC 7396: null removes a field). The merged document is
  // validated as a PUT body would be; an invalid result changes nothing.
  app.patch<{ Body: MergePatch }>(doc.url, {
    schema: { summary: `Change fields of ${doc.name} (JSON Merge Patch)`, body: MergePatch, response: { 200: doc.schema } },
    preHandler: app.authorize(writeAction),
  }, async (req) => {
    const brandId = req.principal!.brandId
    return oneAtATime(brandId, async () => {
      const patch = doc.preparePatch ? doc.preparePatch(req.body) : req.body
      const merged = mergePatch(await doc.read(brandId), patch)
      if (!validate(merged)) {
        const e = validate.errors?.[0]
        const extra = (e?.params as { additionalProperty?: string } | undefined)?.additionalProperty
        throw httpError('PARLEY_ERR_REQUEST_INVALID', `body${e?.instancePath ?? ''} ${e?.message ?? 'is invalid'}${extra ? ` ('${extra}')` : ''}`)
      }
      const saved = await doc.save(req, brandId, merged)
      await audited(req, 'patch', fieldNames(req.body))
      return saved
    })
  })

  const remove = doc.remove
  if (remove) {
    app.delete(doc.url, {
      schema: { summary: `Remove ${doc.name}`, response: { 204: Type.Null({ description: 'Removed' }) } },
      preHandler: app.authorize(writeAction),
    }, async (req, reply) => {
      const brandId = req.principal!.brandId
      await oneAtATime(brandId, async () => {
        await remove(req, brandId)
        await audited(req, 'remove')
      })
      return reply.code(204).send()
    })
  }
}

/** The top-level field names a body sends, sorted (names only: the values stay out of the audit log). */
function fieldNames(patch: unknown): string {
  return patch !== null && typeof patch === 'object' && !Array.isArray(patch) ? Object.keys(patch).sort().join(',') : ''
}
