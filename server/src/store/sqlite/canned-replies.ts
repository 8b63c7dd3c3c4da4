import type Database from 'better-sqlite3'
import type { Store } from '../store.js'

// Canned replies in SQLite (migration 11): brand-wide (owner NULL) and personal, unique shortcut per owner.

type CannedMethods = Pick<Store, 'listCannedReplies' | 'getCannedReply' | 'createCannedReply' | 'updateCannedReply' | 'deleteCannedReply'>

/** The canned reply methods of the SQLite store. */
export function createCannedReplies(_db: Database.Database): CannedMethods {
  const todo = (): never => { throw new Error('not implemented yet') }
  return { listCannedReplies: todo, getCannedReply: todo, createCannedReply: todo, updateCannedReply: todo, deleteCannedReply: todo }
}
