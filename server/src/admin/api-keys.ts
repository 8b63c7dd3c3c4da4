import { ACTIONS, roleAllows, type Action, type ApiKey, type Role, type Scope } from '@parley/sdk/contract'
import type { ApiKeyRecord } from '../store/store.js'
import type { Deps } from '../deps.js'
import { createApiKey, hashApiKey } from '../auth/api-keys.js'

// Issuing a brand's API keys, shared by REST (POST /v1/keys, rotation) and `parley key create`.

/** How many characters of the secret a list shows (`sk_` and four more: enough to tell keys apart, far too few to guess with). */
const PREFIX_LENGTH = 7

/** What a new key is: the caller has already checked that its creator may grant these scopes. */
export interface NewKey {
  brandId: string
  name: string
  scopes: readonly Scope[]
  expiresAt: number | null
  /** `agent:ID`, `key:ID` or `cli`. */
  createdBy: string
  /** Its id when the caller chose it already (rotation names the successor before making it). */
  keyId?: string
}

/** Stores a new key of the brand; resolves to its record and the secret, which exists nowhere else. */
export async function issueApiKey(deps: Pick<Deps, 'store' | 'ids' | 'clock'>, input: NewKey): Promise<{ record: ApiKeyRecord; secret: string }> {
  const secret = createApiKey()
  const record: ApiKeyRecord = {
    brandId: input.brandId,
    keyId: input.keyId ?? deps.ids.next('k_'),
    name: input.name,
    scopes: [...input.scopes],
    keyHash: hashApiKey(secret),
    prefix: secret.slice(0, PREFIX_LENGTH),
    createdAt: deps.clock.now(),
    lastUsedAt: null,
    expiresAt: input.expiresAt,
    revokedAt: null,
    createdBy: input.createdBy,
    replacedBy: null,
  }
  await deps.store.createApiKey(record)
  return { record, secret }
}

/** A key as the API lists it: never its hash. */
export function publicApiKey(k: ApiKeyRecord): ApiKey {
  return {
    keyId: k.keyId, name: k.name, scopes: [...k.scopes], prefix: k.prefix, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt,
    expiresAt: k.expiresAt, revokedAt: k.revokedAt, createdBy: k.createdBy, replacedBy: k.replacedBy,
  }
}

/** The scopes of `wanted` that `held` lacks (a key may pass on only scopes its creator has). */
export function scopesBeyond(wanted: readonly Scope[], held: readonly Scope[]): Scope[] {
  return wanted.filter((s) => !held.includes(s))
}

/**
 * The scopes a key needs to hold everything an account of `role` may do: the scope of each action
 * the role allows. A key may name an account only to a role whose powers it holds already, or it
 * could make an admin, sign in as them and mint itself every scope.
 */
export function scopesOfRole(role: Role): Scope[] {
  const scopes = new Set<Scope>()
  for (const [action, needs] of Object.entries(ACTIONS) as [Action, (typeof ACTIONS)[Action]][]) {
    if (needs.scope !== null && roleAllows(role, action)) scopes.add(needs.scope)
  }
  return [...scopes]
}
