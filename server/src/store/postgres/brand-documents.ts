import { jsonb } from './rows.js'
import type { BusinessHours, MaskingConfig, RoutingConfig, RulesConfig, SecurityConfig, WidgetConfig } from '@parley/sdk/contract'
import type { Store } from '../store.js'
import type { PgDb } from './db.js'

// The brand's configuration documents, one jsonb column of brands each (NULL: never saved). The
// relay validated each document before it reaches the store; the store keeps it whole.

type DocumentMethods = Pick<Store, 'getWidgetConfig' | 'setWidgetConfig' | 'getMaskingConfig' | 'setMaskingConfig'
  | 'getRulesConfig' | 'setRulesConfig' | 'getBusinessHours' | 'setBusinessHours' | 'getRoutingConfig' | 'setRoutingConfig'
  | 'getSecurityConfig' | 'setSecurityConfig'>

/** The columns of brands that hold a document (a fixed list: the column name is never a value). */
type DocumentColumn = 'widget_config' | 'masking_config' | 'rules_config' | 'business_hours' | 'routing_config' | 'security_config'

/** The Store's brand document methods over `db`. */
export function createBrandDocuments(db: PgDb): DocumentMethods {
  /** The document in `column`, or null when never saved (or no such brand). */
  const read = <T>(brandId: string, column: DocumentColumn) => db.tx(brandId, async (tx) =>
    (await tx.one<{ doc: T | null }>(`SELECT ${column} AS doc FROM brands WHERE brand_id = $1`, [brandId]))?.doc ?? null)
  /** Saves (or with null, removes) the document in `column`. */
  const write = async (brandId: string, column: DocumentColumn, doc: object | null) => {
    await db.tx(brandId, (tx) => tx.run(`UPDATE brands SET ${column} = $2::jsonb WHERE brand_id = $1`, [brandId, jsonb(doc)]))
  }
  return {
    async getWidgetConfig(brandId) { return (await read<WidgetConfig>(brandId, 'widget_config')) ?? {} },
    async setWidgetConfig(brandId, config) { await write(brandId, 'widget_config', config) },
    async getMaskingConfig(brandId) { return read<MaskingConfig>(brandId, 'masking_config') },
    async setMaskingConfig(brandId, config) { await write(brandId, 'masking_config', config) },
    async getRulesConfig(brandId) { return read<RulesConfig>(brandId, 'rules_config') },
    async setRulesConfig(brandId, config) { await write(brandId, 'rules_config', config) },
    async getBusinessHours(brandId) { return read<BusinessHours>(brandId, 'business_hours') },
    async setBusinessHours(brandId, hours) { await write(brandId, 'business_hours', hours) },
    async getRoutingConfig(brandId) { return read<RoutingConfig>(brandId, 'routing_config') },
    async setRoutingConfig(brandId, config) { await write(brandId, 'routing_config', config) },
    async getSecurityConfig(brandId) { return read<SecurityConfig>(brandId, 'security_config') },
    async setSecurityConfig(brandId, config) { await write(brandId, 'security_config', config) },
  }
}
