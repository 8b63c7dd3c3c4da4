import type Database from 'better-sqlite3'
import type { RoutingConfig } from '@parley/sdk/contract'
import type { Store } from '../store.js'

// Automatic routing in SQLite (migration 11): the brand's settings, offers of waiting chats to
// agents, skills' queues.

type RoutingMethods = Pick<Store,
  | 'getRoutingConfig' | 'setRoutingConfig' | 'createOffer' | 'endOffer' | 'listPendingOffers' | 'listOfferedAgents'
  | 'countMissedOffers' | 'requeueConversation'>

/** The routing methods of the SQLite store. */
export function createRoutingStore(db: Database.Database): RoutingMethods {
  const todo = (): never => { throw new Error('not implemented yet') }
  // The settings alone (the inactivity sweep reads them); the routing work fills in the rest.
  const config = db.prepare<[string], { routing_config: string | null }>('SELECT routing_config FROM brands WHERE brand_id = ?')
  const setConfig = db.prepare('UPDATE brands SET routing_config = ? WHERE brand_id = ?')
  return {
    async getRoutingConfig(brandId) {
      const text = config.get(brandId)?.routing_config
      return text ? (JSON.parse(text) as RoutingConfig) : null
    },
    async setRoutingConfig(brandId, c) { setConfig.run(JSON.stringify(c), brandId) },
    createOffer: todo, endOffer: todo, listPendingOffers: todo,
    listOfferedAgents: todo, countMissedOffers: todo, requeueConversation: todo,
  }
}
