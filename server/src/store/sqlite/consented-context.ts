import type Database from 'better-sqlite3'
import type { VisitorContext } from '@parley/sdk/contract'
import { withoutBehaviour } from '../behavioural-context.js'

// A conversation opened by a visitor who denied consent to behavioural tracking stores their
// context without behavioural values (issue 19): whatever the relay passes, the store keeps no more.

/** The context text to store for a visitor's new conversation (null: none), inside the caller's transaction. */
export function createConsentedContext(db: Database.Database): (brandId: string, visitorId: string, context: VisitorContext | null | undefined) => string | null {
  const consent = db.prepare<[string, string], { consent: string | null }>('SELECT consent FROM visitors WHERE brand_id = ? AND visitor_id = ?')
  return (brandId, visitorId, context) => {
    if (!context) return null
    return JSON.stringify(consent.get(brandId, visitorId)?.consent === 'denied' ? withoutBehaviour(context) : context)
  }
}
