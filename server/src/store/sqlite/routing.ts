import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// Automatic routing in SQLite (migration 11): the brand's settings, offers of waiting chats to
// agents, skills' queues.

type RoutingMethods = Pick<Store,
  | 'getRoutingConfig' | 'setRoutingConfig' | 'createOffer' | 'endOffer' | 'listPendingOffers' | 'listOfferedAgents'
  | 'countMissedOffers' | 'requeueConversation'>

/** The routing methods of the SQLite store. */
export function createRoutingStore(_db: Database.Database): RoutingMethods {
  const todo = (): never => { throw new Error('not implemented yet') }
  return {
    getRoutingConfig: todo, setRoutingConfig: todo, createOffer: todo, endOffer: todo, listPendingOffers: todo,
    listOfferedAgents: todo, countMissedOffers: todo, requeueConversation: todo,
  }
}
