import type { Store } from '../store.js'
import type { PgDb } from './db.js'
import { createAgentAccess } from './agent-access.js'
import { createAgentPasswords } from './agent-passwords.js'
import { createSessions } from './sessions.js'
import { createApiKeys } from './api-keys.js'
import { createAuditLog } from './audit-log.js'
import { createIdentitySecrets } from './identity-secrets.js'
import { createCustomers } from './customers.js'
import { createRevokedTokens } from './revoked-tokens.js'

// Who may see what (issue 18): accounts' roles, activity and password hashes, sessions, API keys,
// the audit log, identity secrets, verified customers and refused token ids (the brand's security
// settings are a brand document: brand-documents.ts). Tables and cross-brand functions:
// schema/005-access.ts.

/** The Store methods this part implements. */
export type AccessMethods = Pick<Store, 'setAgentAccess' | 'replacePasswordHash' | 'createSession' | 'getSession' | 'touchSession' | 'listSessions'
  | 'revokeSession' | 'revokeAgentSessions' | 'createApiKey' | 'findApiKey' | 'getApiKey' | 'listApiKeys' | 'updateApiKey'
  | 'appendAudit' | 'listAudit' | 'purgeAudit' | 'listBrandIds' | 'listIdentitySecrets' | 'addIdentitySecret'
  | 'deleteIdentitySecret' | 'linkCustomer' | 'getCustomer' | 'getCustomerByVisitor' | 'revokeTokenIds' | 'isTokenIdRevoked'
  | 'pruneRevokedTokenIds' | 'recordIdentityToken' | 'endVisit'>

/** This part's Store methods over `db`. */
export function createAccess(db: PgDb): AccessMethods {
  return {
    ...createAgentAccess(db),
    ...createAgentPasswords(db),
    ...createSessions(db),
    ...createApiKeys(db),
    ...createAuditLog(db),
    ...createIdentitySecrets(db),
    ...createCustomers(db),
    ...createRevokedTokens(db),
  }
}
