import type { Store } from '../store.js'
import type { PgDb } from './db.js'

// Brands, API keys, origins, agents and their statuses and settings, visitors, the brand's configuration documents, rule counts, Idempotency-Keys, and the store's upkeep.

/** The Store methods this part implements. */
export type TenancyMethods = Pick<Store, 'createBrand' | 'getBrand' | 'getBrandBySiteKey' | 'getBrandByApiKeyHash' | 'isOriginAllowedAnywhere' | 'updateBrand' | 'createAgent' | 'getAgent' | 'getAgentByEmail' | 'listAgents' | 'updateAgent' | 'listAgentStatuses' | 'getAgentStatus' | 'setAgentStatus' | 'recordVisit' | 'getWidgetConfig' | 'setWidgetConfig' | 'getMaskingConfig' | 'setMaskingConfig' | 'getRulesConfig' | 'setRulesConfig' | 'getBusinessHours' | 'setBusinessHours' | 'addRuleCounts' | 'readRuleCounts' | 'claimIdempotencyKey' | 'completeIdempotencyKey' | 'releaseIdempotencyKey' | 'sweepIdempotencyKeys' | 'getRoutingConfig' | 'setRoutingConfig' | 'getAgentSettings' | 'setAgentSettings' | 'truncateWal' | 'vacuum' | 'ping'>

export function createTenancy(db: PgDb): TenancyMethods {
  void db
  return {
    async createBrand() { throw new Error('PostgreSQL store: createBrand is not built yet') },
    async getBrand() { throw new Error('PostgreSQL store: getBrand is not built yet') },
    async getBrandBySiteKey() { throw new Error('PostgreSQL store: getBrandBySiteKey is not built yet') },
    async getBrandByApiKeyHash() { throw new Error('PostgreSQL store: getBrandByApiKeyHash is not built yet') },
    async isOriginAllowedAnywhere() { throw new Error('PostgreSQL store: isOriginAllowedAnywhere is not built yet') },
    async updateBrand() { throw new Error('PostgreSQL store: updateBrand is not built yet') },
    async createAgent() { throw new Error('PostgreSQL store: createAgent is not built yet') },
    async getAgent() { throw new Error('PostgreSQL store: getAgent is not built yet') },
    async getAgentByEmail() { throw new Error('PostgreSQL store: getAgentByEmail is not built yet') },
    async listAgents() { throw new Error('PostgreSQL store: listAgents is not built yet') },
    async updateAgent() { throw new Error('PostgreSQL store: updateAgent is not built yet') },
    async listAgentStatuses() { throw new Error('PostgreSQL store: listAgentStatuses is not built yet') },
    async getAgentStatus() { throw new Error('PostgreSQL store: getAgentStatus is not built yet') },
    async setAgentStatus() { throw new Error('PostgreSQL store: setAgentStatus is not built yet') },
    async recordVisit() { throw new Error('PostgreSQL store: recordVisit is not built yet') },
    async getWidgetConfig() { throw new Error('PostgreSQL store: getWidgetConfig is not built yet') },
    async setWidgetConfig() { throw new Error('PostgreSQL store: setWidgetConfig is not built yet') },
    async getMaskingConfig() { throw new Error('PostgreSQL store: getMaskingConfig is not built yet') },
    async setMaskingConfig() { throw new Error('PostgreSQL store: setMaskingConfig is not built yet') },
    async getRulesConfig() { throw new Error('PostgreSQL store: getRulesConfig is not built yet') },
    async setRulesConfig() { throw new Error('PostgreSQL store: setRulesConfig is not built yet') },
    async getBusinessHours() { throw new Error('PostgreSQL store: getBusinessHours is not built yet') },
    async setBusinessHours() { throw new Error('PostgreSQL store: setBusinessHours is not built yet') },
    async addRuleCounts() { throw new Error('PostgreSQL store: addRuleCounts is not built yet') },
    async readRuleCounts() { throw new Error('PostgreSQL store: readRuleCounts is not built yet') },
    async claimIdempotencyKey() { throw new Error('PostgreSQL store: claimIdempotencyKey is not built yet') },
    async completeIdempotencyKey() { throw new Error('PostgreSQL store: completeIdempotencyKey is not built yet') },
    async releaseIdempotencyKey() { throw new Error('PostgreSQL store: releaseIdempotencyKey is not built yet') },
    async sweepIdempotencyKeys() { throw new Error('PostgreSQL store: sweepIdempotencyKeys is not built yet') },
    async getRoutingConfig() { throw new Error('PostgreSQL store: getRoutingConfig is not built yet') },
    async setRoutingConfig() { throw new Error('PostgreSQL store: setRoutingConfig is not built yet') },
    async getAgentSettings() { throw new Error('PostgreSQL store: getAgentSettings is not built yet') },
    async setAgentSettings() { throw new Error('PostgreSQL store: setAgentSettings is not built yet') },
    async truncateWal() { throw new Error('PostgreSQL store: truncateWal is not built yet') },
    async vacuum() { throw new Error('PostgreSQL store: vacuum is not built yet') },
    async ping() { throw new Error('PostgreSQL store: ping is not built yet') },
  }
}
