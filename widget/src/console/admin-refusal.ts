import { ApiError } from './api.js'

// What the admin area says when the relay refuses, chosen by the error's code, never by its message.

/** The sentence an admin view shows for a refused call. */
export function adminRefusal(err: unknown): string {
  const code = err instanceof ApiError ? err.code : null
  switch (code) {
    case 'PARLEY_ERR_AUTH_LAST_ADMIN': return 'The brand must keep at least one active admin: make another account admin first.'
    case 'PARLEY_ERR_AUTH_ROLE': case 'PARLEY_ERR_AUTH_FORBIDDEN': return 'Your role may not do this. Ask an admin.'
    case 'PARLEY_ERR_TENANT_EXISTS': return 'An account with this e-mail address already exists.'
    case 'PARLEY_ERR_REQUEST_INVALID': return 'Check the fields: something is missing or not in the expected form.'
    case 'PARLEY_ERR_KEY_NOT_FOUND': return 'This key no longer exists. Reload the list.'
    case 'PARLEY_ERR_SESSION_NOT_FOUND': return 'This session already ended. Reload the list.'
    case 'PARLEY_ERR_AGENT_NOT_FOUND': return 'This account no longer exists. Reload the list.'
    case 'PARLEY_ERR_CONNECTION_LOST': return 'The server could not be reached. Check your connection and try again.'
    case 'PARLEY_ERR_LIMIT_RATE': return 'Too many requests. Wait a moment and try again.'
    default: return err instanceof Error ? err.message : 'The request failed.'
  }
}
