import { randomBytes } from 'node:crypto'
import type { FastifyPluginAsync } from 'fastify'
import { Type } from '@sinclair/typebox'
import { CreatedIdentitySecret, IdentitySecretList, IdentitySecretParams } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { AuditLog } from '../../audit/audit-log.js'
import { actorOf } from '../../audit/audit-log.js'
import type { IdentitySecretRecord } from '../../store/store.js'
import { httpError } from '../../errors.js'

// /v1/identity/secrets: the HS256 secrets a brand signs its customers' identity tokens with. A
// secret is shown once, when created; listings carry ids and dates only. At most two exist at
// once, so rotating is "add the new one, move the signer to it, delete the old one" with both
// valid in between. Logs and the audit log name the secret's id, never the secret.

/** Secrets a brand may hold at once. */
export const MAX_IDENTITY_SECRETS = 2

function listed(r: IdentitySecretRecord): { secretId: string; createdAt: number } {
  return { secretId: r.secretId, createdAt: r.createdAt }
}

/** POST, GET /v1/identity/secrets and DELETE /v1/identity/secrets/:secretId. */
export const identitySecretRoutes: FastifyPluginAsync<{ deps: Deps; audit: AuditLog }> = async (app, { deps, audit }) => {
  app.post('/v1/identity/secrets', {
    schema: { summary: 'Create an HS256 identity secret (shown once; at most two at once)', response: { 201: CreatedIdentitySecret } },
    preHandler: app.authorize('config.write'),
  }, async (req, reply) => {
    const p = req.principal!
    const brandId = p.brandId
    if ((await deps.store.listIdentitySecrets(brandId)).length >= MAX_IDENTITY_SECRETS) throw httpError('PARLEY_ERR_IDENTITY_SECRET_LIMIT', MAX_IDENTITY_SECRETS)
    const record: IdentitySecretRecord = { brandId, secretId: deps.ids.next('is_'), secret: randomBytes(32).toString('base64url'), createdAt: deps.clock.now() }
    await deps.store.addIdentitySecret(record)
    // Two requests at once may both have seen one secret: the one that made three takes its own back.
    const after = await deps.store.listIdentitySecrets(brandId)
    if (after.length > MAX_IDENTITY_SECRETS && after.slice(MAX_IDENTITY_SECRETS).some((s) => s.secretId === record.secretId)) {
      await deps.store.deleteIdentitySecret(brandId, record.secretId)
      throw httpError('PARLEY_ERR_IDENTITY_SECRET_LIMIT', MAX_IDENTITY_SECRETS)
    }
    await audit.record({ brandId, actor: actorOf(p), action: 'identity.change', resource: { type: 'identity-secret', id: record.secretId }, ip: req.ip, detail: { which: 'secret.create' } })
    req.log.info({ brandId, secretId: record.secretId }, 'identity secret created')
    return reply.code(201).send({ secretId: record.secretId, createdAt: record.createdAt, secret: record.secret } satisfies CreatedIdentitySecret)
  })

  app.get('/v1/identity/secrets', {
    schema: { summary: "The brand's identity secrets, oldest first (without the secrets)", response: { 200: IdentitySecretList } },
    preHandler: app.authorize('config.write'),
  }, async (req): Promise<IdentitySecretList> => {
    return { secrets: (await deps.store.listIdentitySecrets(req.principal!.brandId)).map(listed) }
  })

  app.delete<{ Params: IdentitySecretParams }>('/v1/identity/secrets/:secretId', {
    schema: { summary: 'Delete an identity secret: tokens signed with it are refused from now on', params: IdentitySecretParams, response: { 204: Type.Null({ description: 'Deleted' }) } },
    preHandler: app.authorize('config.write'),
  }, async (req, reply) => {
    const p = req.principal!
    const { secretId } = req.params
    if (!(await deps.store.deleteIdentitySecret(p.brandId, secretId))) throw httpError('PARLEY_ERR_IDENTITY_SECRET_NOT_FOUND', secretId)
    await audit.record({ brandId: p.brandId, actor: actorOf(p), action: 'identity.change', resource: { type: 'identity-secret', id: secretId }, ip: req.ip, detail: { which: 'secret.delete' } })
    req.log.info({ brandId: p.brandId, secretId }, 'identity secret deleted')
    return reply.code(204).send()
  })
}
