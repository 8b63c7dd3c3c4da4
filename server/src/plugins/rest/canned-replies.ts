import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import {
  CannedReply, CannedReplyInput, CannedReplyList, CannedReplyParams, CannedReplyPatch, CannedReplyQuery, MAX_CANNED_REPLIES,
  type CannedScope,
} from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { CannedReplyOwner, CannedReplyRecord, CannedReplyResult } from '../../store/store.js'
import type { Principal } from '../auth.js'
import { httpError } from '../../errors.js'
import { requirePrincipalFor } from './principal-for-action.js'

/** What managing a reply of `scope` asks the policy: brand-wide replies are the brand's, personal ones the agent's work. */
function manageAction(scope: CannedScope): 'canned.manage' | 'queue.work' {
  return scope === 'brand' ? 'canned.manage' : 'queue.work'
}

// /v1/canned-replies: saved answers, brand-wide and personal. Reading them is team.read (every
// agent; keys with config:read); brand-wide ones are created, changed and deleted under
// canned.manage (supervisors, admins, keys with config:write), an agent's personal ones under
// queue.work (their own only; no key has them). An agent's token sees the brand's replies and their
// own; a key the brand's only. Another agent's personal reply answers "not found", like one that
// does not exist. A reply's title and text are the
// brand's own content, but logs still carry only ids, scopes and codes.

function ownerOf(p: Principal): CannedReplyOwner {
  return { brandId: p.brandId, agentId: p.kind === 'agent' ? p.agentId : null }
}

function toWire(r: CannedReplyRecord): CannedReply {
  const { brandId: _brand, ownerAgentId, ...rest } = r
  return ownerAgentId === null ? rest : { ...rest, ownerAgentId }
}

function replyOf(result: CannedReplyResult, replyId: string, shortcut: string | undefined): CannedReplyRecord {
  if (result.ok) return result.reply
  if (result.code === 'PARLEY_ERR_CANNED_NOT_FOUND') throw httpError(result.code, replyId)
  if (result.code === 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN') throw httpError(result.code, shortcut)
  throw httpError(result.code, MAX_CANNED_REPLIES)
}

/** Refuses a title or text of spaces only, which the schema's minLength lets through. */
function refuseBlank(body: { title?: string | undefined; text?: string | undefined }): void {
  for (const field of ['title', 'text'] as const) {
    if (body[field] !== undefined && body[field].trim() === '') throw httpError('PARLEY_ERR_REQUEST_INVALID', `body/${field} must not be blank`)
  }
}

/** /v1/canned-replies: saved answers, brand-wide and personal. */
export const cannedReplyRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  const managers = requirePrincipalFor(app, ['canned.manage', 'queue.work'], 'brand', 'agent')

  /**
   * Asks the policy about changing the reply the caller sees as `replyId` (its scope decides the
   * action); a reply they do not see is not found, whoever asks.
   */
  async function checkManage(req: FastifyRequest, replyId: string): Promise<void> {
    const p = req.principal!
    const reply = (await deps.store.listCannedReplies(ownerOf(p), {})).find((r) => r.replyId === replyId)
    if (!reply) throw httpError('PARLEY_ERR_CANNED_NOT_FOUND', replyId)
    await app.checkAccess(req, manageAction(reply.scope))
  }

  app.get<{ Querystring: CannedReplyQuery }>('/v1/canned-replies', {
    schema: {
      summary: "Canned replies: the brand's, and with an agent's token their own personal ones; by shortcut",
      querystring: CannedReplyQuery, response: { 200: CannedReplyList },
    },
    preHandler: app.authorize('team.read'),
  }, async (req): Promise<CannedReplyList> => {
    const { q, scope } = req.query
    const replies = await deps.store.listCannedReplies(ownerOf(req.principal!), { ...(q !== undefined ? { q } : {}), ...(scope !== undefined ? { scope } : {}) })
    return { replies: replies.map(toWire) }
  })

  app.post<{ Body: CannedReplyInput }>('/v1/canned-replies', {
    schema: {
      summary: "Save a canned reply: brand-wide (supervisors, admins, keys with config:write) or personal (an agent's token)",
      body: CannedReplyInput, response: { 201: CannedReply },
    },
    preHandler: managers,
  }, async (req, reply) => {
    const p = req.principal!
    const { scope, shortcut, title, text } = req.body
    await app.checkAccess(req, manageAction(scope))
    refuseBlank(req.body)
    const record: CannedReplyRecord = {
      brandId: p.brandId, replyId: deps.ids.next('cr_'), scope, ownerAgentId: scope === 'personal' && p.kind === 'agent' ? p.agentId : null,
      shortcut, title, text, updatedAt: deps.clock.now(),
    }
    const saved = replyOf(await deps.store.createCannedReply(record), record.replyId, shortcut)
    req.log.info({ brandId: p.brandId, replyId: saved.replyId, scope }, 'canned reply created')
    return reply.code(201).send(toWire(saved))
  })

  app.patch<{ Params: CannedReplyParams; Body: CannedReplyPatch }>('/v1/canned-replies/:replyId', {
    schema: {
      summary: 'Change a canned reply\'s shortcut, title or text (the scope stays)',
      params: CannedReplyParams, body: CannedReplyPatch, response: { 200: CannedReply },
    },
    preHandler: managers,
  }, async (req) => {
    const p = req.principal!
    const { replyId } = req.params
    await checkManage(req, replyId)
    refuseBlank(req.body)
    const result = await deps.store.updateCannedReply(ownerOf(p), replyId, req.body, deps.clock.now())
    const saved = replyOf(result, replyId, req.body.shortcut)
    req.log.info({ brandId: p.brandId, replyId, fields: Object.keys(req.body) }, 'canned reply updated')
    return toWire(saved)
  })

  app.delete<{ Params: CannedReplyParams }>('/v1/canned-replies/:replyId', {
    schema: { summary: 'Delete a canned reply', params: CannedReplyParams, response: { 204: Type.Null({ description: 'Deleted' }) } },
    preHandler: managers,
  }, async (req, reply) => {
    const p = req.principal!
    const { replyId } = req.params
    await checkManage(req, replyId)
    if (!(await deps.store.deleteCannedReply(ownerOf(p), replyId))) throw httpError('PARLEY_ERR_CANNED_NOT_FOUND', replyId)
    req.log.info({ brandId: p.brandId, replyId }, 'canned reply deleted')
    return reply.code(204).send()
  })
}
