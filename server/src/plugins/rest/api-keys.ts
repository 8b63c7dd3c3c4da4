import type { FastifyPluginAsync, FastifyRequest } from 'fastify'
import { Type } from '@sinclair/typebox'
import { ALL_SCOPES, ApiKeyList, ApiKeyParams, CreateApiKey, CreatedApiKey, RotateApiKey, type Scope } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { actorOf, type AuditLog } from '../../audit/audit-log.js'
import type { Principal } from '../../auth/policy.js'
import { issueApiKey, publicApiKey, scopesBeyond } from '../../admin/api-keys.js'
import { httpError } from '../../errors.js'

/** How long a rotated-out key keeps working when the caller does not say: a day. */
const DEFAULT_GRACE_SECONDS = 86_400

/** The brand's API keys (action keys.manage): list, create, rotate, revoke. The secret is shown once. */
export const apiKeyRoutes: FastifyPluginAsync<{ deps: Deps; audit: AuditLog }> = async (app, { deps, audit }) => {
  const { store, clock } = deps

  /** The scopes the caller may pass on: a key its own, an agent (keys.manage makes it an admin) any. */
  const grantable = (p: Principal): readonly Scope[] => (p.kind === 'brand' ? p.scopes : p.kind === 'agent' ? ALL_SCOPES : [])
  /** `key:ID` or `agent:ID`, as ApiKey.createdBy names the creator. */
  const creator = (p: Principal): string => { const a = actorOf(p); return `${a.kind}:${a.id}` }
  // A key with keys:write could otherwise mint (or rotate into being) a key stronger than itself, or
  // revoke one: only an admin agent manages keys wider than its caller.
  const refuseBeyond = async (req: FastifyRequest, scopes: readonly Scope[], keyId: string | null) => {
    const beyond = scopesBeyond(scopes, grantable(req.principal!))
    if (beyond.length > 0) {
      await app.refuse(req, 'keys.manage', { code: 'PARLEY_ERR_AUTH_SCOPE', args: [beyond.join(', ')], resource: { type: 'key', id: keyId } })
    }
  }

  app.get('/v1/keys', {
    schema: { summary: "List the brand's API keys (never their secrets), revoked ones included", response: { 200: ApiKeyList } },
    preHandler: app.authorize('keys.manage'),
  }, async (req) => ({ keys: (await store.listApiKeys(req.principal!.brandId)).map(publicApiKey) }))

  app.post<{ Body: CreateApiKey }>('/v1/keys', {
    schema: { summary: 'Create an API key with a name, scopes and an optional expiry; its secret is shown this once', body: CreateApiKey, response: { 201: CreatedApiKey } },
    preHandler: app.authorize('keys.manage'),
  }, async (req, reply) => {
    const p = req.principal!
    const now = clock.now()
    const { name, scopes, expiresAt } = req.body
    if (name.trim() === '') throw httpError('PARLEY_ERR_REQUEST_INVALID', 'body/name must not be blank')
    if (expiresAt !== undefined && expiresAt <= now) throw httpError('PARLEY_ERR_REQUEST_INVALID', 'body/expiresAt must be in the future')
    await refuseBeyond(req, scopes, null)
    const { record, secret } = await issueApiKey(deps, { brandId: p.brandId, name: name.trim(), scopes, expiresAt: expiresAt ?? null, createdBy: creator(p) })
    await audit.record({
      brandId: p.brandId, actor: actorOf(p), action: 'key.create', ip: req.ip,
      resource: { type: 'key', id: record.keyId }, detail: { name: record.name, scopes: record.scopes.join(',') },
    })
    req.log.info({ brandId: p.brandId, keyId: record.keyId, scopes: record.scopes.length }, 'API key created')
    return reply.code(201).send({ key: publicApiKey(record), secret })
  })

  app.post<{ Params: ApiKeyParams; Body: RotateApiKey }>('/v1/keys/:keyId/rotate', {
    schema: {
      summary: 'Replace a key with a new one of the same name, scopes and expiry; the old one keeps working for graceSeconds (default a day; 0 revokes it now)',
      params: ApiKeyParams, body: RotateApiKey, response: { 201: CreatedApiKey },
    },
    preHandler: app.authorize('keys.manage'),
  }, async (req, reply) => {
    const p = req.principal!
    const now = clock.now()
    const old = await store.getApiKey(p.brandId, req.params.keyId)
    if (!old) throw httpError('PARLEY_ERR_KEY_NOT_FOUND', req.params.keyId)
    // A retried rotation (its answer lost) must not make a second key, which would copy the first
    // rotation's grace as its expiry: the successor is named once and a rotated key is refused.
    if (old.replacedBy !== null) throw httpError('PARLEY_ERR_KEY_ROTATED', old.keyId, old.replacedBy)
    if (old.revokedAt !== null) throw httpError('PARLEY_ERR_REQUEST_INVALID', `key ${old.keyId} is revoked: create a new one instead`)
    if (old.expiresAt !== null && old.expiresAt <= now) throw httpError('PARLEY_ERR_REQUEST_INVALID', `key ${old.keyId} has expired: create a new one instead`)
    await refuseBeyond(req, old.scopes, old.keyId)
    const grace = (req.body?.graceSeconds ?? DEFAULT_GRACE_SECONDS) * 1000
    // Name the successor first: of two rotations at once, the one whose id the store kept goes on.
    const newKeyId = deps.ids.next('k_')
    const claimed = await store.updateApiKey(p.brandId, old.keyId, { replacedBy: newKeyId })
    if (!claimed) throw httpError('PARLEY_ERR_KEY_NOT_FOUND', old.keyId)
    if (claimed.replacedBy !== newKeyId) throw httpError('PARLEY_ERR_KEY_ROTATED', old.keyId, claimed.replacedBy)
    // Rotation replaces the secret, not the term: the new key ends when the old one would have (its
    // expiry is still its own: a rotated key is never rotated again).
    const { record, secret } = await issueApiKey(deps, {
      brandId: p.brandId, name: old.name, scopes: old.scopes, expiresAt: old.expiresAt, createdBy: creator(p), keyId: newKeyId,
    })
    // The old key never outlives its own expiry; within the grace both work, so clients move over without downtime.
    const oldEnds = old.expiresAt === null ? now + grace : Math.min(old.expiresAt, now + grace)
    await store.updateApiKey(p.brandId, old.keyId, grace === 0 ? { revokedAt: now } : { expiresAt: oldEnds })
    await audit.record({
      brandId: p.brandId, actor: actorOf(p), action: 'key.rotate', ip: req.ip,
      resource: { type: 'key', id: old.keyId }, detail: { name: old.name, scopes: old.scopes.join(','), newKeyId: record.keyId, graceSeconds: grace / 1000 },
    })
    req.log.info({ brandId: p.brandId, keyId: old.keyId, newKeyId: record.keyId, graceSeconds: grace / 1000 }, 'API key rotated')
    return reply.code(201).send({ key: publicApiKey(record), secret })
  })

  app.delete<{ Params: ApiKeyParams }>('/v1/keys/:keyId', {
    schema: { summary: 'Revoke an API key: refused on every request from now on (a key may revoke itself)', params: ApiKeyParams, response: { 204: Type.Null({ description: 'Revoked' }) } },
    preHandler: app.authorize('keys.manage'),
  }, async (req, reply) => {
    const p = req.principal!
    const target = await store.getApiKey(p.brandId, req.params.keyId)
    if (!target) throw httpError('PARLEY_ERR_KEY_NOT_FOUND', req.params.keyId)
    await refuseBeyond(req, target.scopes, target.keyId)
    const revoked = await store.updateApiKey(p.brandId, req.params.keyId, { revokedAt: clock.now() })
    if (!revoked) throw httpError('PARLEY_ERR_KEY_NOT_FOUND', req.params.keyId)
    await audit.record({
      brandId: p.brandId, actor: actorOf(p), action: 'key.revoke', ip: req.ip,
      resource: { type: 'key', id: revoked.keyId }, detail: { name: revoked.name, scopes: revoked.scopes.join(',') },
    })
    req.log.info({ brandId: p.brandId, keyId: revoked.keyId }, 'API key revoked')
    return reply.code(204).send()
  })
}
