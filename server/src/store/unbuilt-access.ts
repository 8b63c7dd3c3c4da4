import type { Store } from './store.js'

// Placeholder for the access methods (issue 18) while each store's real ones are written: every call
// throws. Deleted once sqlite/ and postgres/ implement them.

type AccessMethods = Pick<Store, 'setAgentAccess' | 'createSession' | 'getSession' | 'touchSession' | 'listSessions' | 'revokeSession'
  | 'revokeAgentSessions' | 'createApiKey' | 'findApiKey' | 'getApiKey' | 'listApiKeys' | 'updateApiKey' | 'appendAudit' | 'listAudit'
  | 'purgeAudit' | 'listBrandIds' | 'getSecurityConfig' | 'setSecurityConfig' | 'listIdentitySecrets' | 'addIdentitySecret'
  | 'deleteIdentitySecret' | 'linkCustomer' | 'getCustomer' | 'getCustomerByVisitor' | 'revokeTokenIds' | 'isTokenIdRevoked' | 'pruneRevokedTokenIds'>

const unbuilt = (name: string) => () => Promise.reject(new Error(`store method ${name} is not built yet`))

/** Access methods that all throw. */
export function unbuiltAccess(): AccessMethods {
  const names: (keyof AccessMethods)[] = ['setAgentAccess', 'createSession', 'getSession', 'touchSession', 'listSessions', 'revokeSession',
    'revokeAgentSessions', 'createApiKey', 'findApiKey', 'getApiKey', 'listApiKeys', 'updateApiKey', 'appendAudit', 'listAudit',
    'purgeAudit', 'listBrandIds', 'getSecurityConfig', 'setSecurityConfig', 'listIdentitySecrets', 'addIdentitySecret',
    'deleteIdentitySecret', 'linkCustomer', 'getCustomer', 'getCustomerByVisitor', 'revokeTokenIds', 'isTokenIdRevoked', 'pruneRevokedTokenIds']
  return Object.fromEntries(names.map((n) => [n, unbuilt(n)])) as unknown as AccessMethods
}
