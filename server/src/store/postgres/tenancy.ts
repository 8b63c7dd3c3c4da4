import type { Store } from '../store.js'
import type { PgDb } from './db.js'
import { createBrands } from './brands.js'
import { createAgents } from './agents.js'
import { createVisitors } from './visitors.js'
import { createBrandDocuments } from './brand-documents.js'
import { createRuleCounts } from './rule-counts.js'
import { createIdempotencyKeys } from './idempotency-keys.js'
import { createUpkeep, type UpkeepOptions } from './upkeep.js'

// Brands (with their bootstrap API key), origins, agents and their statuses and settings, visitors,
// the brand's configuration documents, rule counts, Idempotency-Keys, and the store's upkeep. The
// lookups made before a brand is known go through the cross-brand functions of
// schema/002-tenancy.ts.

/** The Store methods this part implements. */
export type TenancyMethods = Pick<Store, 'createBrand' | 'getBrand' | 'getBrandBySiteKey' | 'isOriginAllowedAnywhere' | 'updateBrand' | 'createAgent' | 'getAgent' | 'getAgentByEmail' | 'listAgents' | 'updateAgent' | 'listAgentStatuses' | 'getAgentStatus' | 'setAgentStatus' | 'recordVisit' | 'getWidgetConfig' | 'setWidgetConfig' | 'getMaskingConfig' | 'setMaskingConfig' | 'getRulesConfig' | 'setRulesConfig' | 'getBusinessHours' | 'setBusinessHours' | 'addRuleCounts' | 'readRuleCounts' | 'claimIdempotencyKey' | 'completeIdempotencyKey' | 'releaseIdempotencyKey' | 'sweepIdempotencyKeys' | 'getRoutingConfig' | 'setRoutingConfig' | 'getAgentSettings' | 'setAgentSettings' | 'getSecurityConfig' | 'setSecurityConfig' | 'truncateWal' | 'vacuum' | 'ping'>

/** This part's Store methods over `db`. */
export function createTenancy(db: PgDb, opts: UpkeepOptions = {}): TenancyMethods {
  return {
    ...createBrands(db),
    ...createAgents(db),
    ...createVisitors(db),
    ...createBrandDocuments(db),
    ...createRuleCounts(db),
    ...createIdempotencyKeys(db),
    ...createUpkeep(db, opts),
  }
}
