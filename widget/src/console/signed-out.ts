// What the sign-in form says after the relay ended a session, chosen by the error's code (the
// message is written for logs and SDK users).

/** The sentence shown on the sign-in form after the session ended for `code`; null for a plain sign-out. */
export function signedOutMessage(code: string | null): string | null {
  switch (code) {
    case null: return null
    case 'PARLEY_ERR_AUTH_ACCOUNT_INACTIVE': return 'This account was deactivated. Ask an administrator to reactivate it.'
    case 'PARLEY_ERR_AUTH_TOKEN_EXPIRED': return 'Your session expired. Sign in again.'
    case 'PARLEY_ERR_AUTH_SESSION_REVOKED': return 'You were signed out (this session was ended). Sign in again.'
    default: return 'You were signed out. Sign in again.'
  }
}
