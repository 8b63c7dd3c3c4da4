import type { FastifyPluginAsync } from 'fastify'
import { PrivacyConfig } from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import { configDocumentRoutes } from './config-document.js'

// GET/PUT/PATCH /v1/privacy: how long the brand keeps what (transcripts, offline entries) and the
// grace period erasure requests get, a configuration document like the others: config.read reads
// it and each change is one config.change entry, but changing it takes data.erase (admins, keys with
// data:erase), not config.write: a retention period purges history, so a config key must not set one. Every period is off
// until set, so `{}` keeps everything for ever; the retention purge (data-rights/retention-purge.ts)
// reads the document on each pass, so a save takes effect on every node by the next pass.

/** GET, PUT and PATCH /v1/privacy. */
export const privacyRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  configDocumentRoutes<PrivacyConfig>(app, deps, {
    url: '/v1/privacy',
    name: 'the privacy settings',
    schema: PrivacyConfig,
    writeAction: 'data.erase',
    read: async (brandId) => (await deps.store.getPrivacyConfig(brandId)) ?? {},
    async save(req, brandId, config) {
      await deps.store.setPrivacyConfig(brandId, config)
      req.log.info({
        brandId, transcriptRetentionDays: config.transcriptRetentionDays ?? null,
        offlineRetentionDays: config.offlineRetentionDays ?? null, erasureGraceDays: config.erasureGraceDays ?? null,
      }, 'privacy settings updated')
      return config
    },
  })
}
