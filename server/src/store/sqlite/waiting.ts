import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// Waiting visitors in SQLite (migration 11): how long recent chats waited (for estimates), and
// closing chats whose visitor went quiet.

type WaitingMethods = Pick<Store, 'recentWaits' | 'closeIdleConversations' | 'listBrandsWithOpenChats'>

/** The waiting methods of the SQLite store. */
export function createWaiting(_db: Database.Database): WaitingMethods {
  const todo = (): never => { throw new Error('not implemented yet') }
  return { recentWaits: todo, closeIdleConversations: todo, listBrandsWithOpenChats: todo }
}
