import type { FastifyPluginAsync } from 'fastify'
import { MaskingConfig } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { httpError } from '../../errors.js'
import type { BrandMaskers } from '../../masking/brand-maskers.js'
import { configDocumentRoutes } from './config-document.js'

// The brand's masking configuration: GET, PUT and PATCH /v1/masking by admins and keys with
// config:write; its agents may GET it too (team.read), so the console masks what they write before it leaves the browser. A
// brand pattern the relay's engine would not run in linear time is refused when saved, naming it,
// and nothing is saved; a saved configuration masks the brand's next message on every node.

/** GET, PUT and PATCH /v1/masking. */
export const maskingRoutes: FastifyPluginAsync<{ deps: Deps; maskers: BrandMaskers }> = async (app, { deps, maskers }) => {
  configDocumentRoutes<MaskingConfig>(app, deps, {
    url: '/v1/masking',
    name: 'the masking configuration',
    schema: MaskingConfig,
    readAction: 'team.read',
    read: async (brandId) => (await deps.store.getMaskingConfig(brandId)) ?? {},
    async save(req, brandId, config) {
      const checked = maskers.check(config)
      if (!checked.ok) throw httpError('PARLEY_ERR_MASKING_PATTERN', checked.problem.name, checked.problem.reason)
      await deps.store.setMaskingConfig(brandId, config)
      maskers.saved(brandId, checked.masker)
      req.log.info({ brandId, patterns: config.patterns?.length ?? 0 }, 'masking config updated')
      return config
    },
  })
}
