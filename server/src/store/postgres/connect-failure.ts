import { StoreUnavailableError } from '../store-errors.js'
import { failureReason } from '../../failure-reason.js'
import { storeError } from './db.js'
import { postgresAddress } from './postgres-address.js'

// What a relay says when it cannot connect at start-up: which setting (DATABASE_URL or
// PARLEY_DATABASE_OWNER_URL), where it points and why, so a dead port, an unknown role and a wrong
// database name each read as what they are. The URL's user and password are never shown.

/**
 * The start-up error for a connection through `setting` that failed: StoreUnavailableError when the
 * server is not there (as storeError decides), a plain Error when it refused (unknown role or database).
 */
export function connectFailure(err: unknown, setting: string, url: string): Error {
  const message = `cannot connect to PostgreSQL at ${setting} (${postgresAddress(url)}): ${failureReason(err)}`
  return storeError(err) instanceof StoreUnavailableError
    ? new StoreUnavailableError(message, { cause: err })
    : new Error(message, { cause: err })
}
