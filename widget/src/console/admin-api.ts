import type {
  AccountList, Agent, AgentPatch, ApiKeyList, AuditPage, AuditQuery, CreateAgent, CreateApiKey, CreatedApiKey, SessionList,
} from '@parley/sdk/contract'
import { call } from './api.js'

// The admin area's REST calls (accounts, API keys, sessions, the audit log). The relay checks the
// caller's role on every one; the console only keeps these pages from agents who would be refused.

/** The brand's agent accounts. */
export function accounts(token: string): Promise<AccountList> {
  return call('/v1/accounts', { token })
}

/** Creates an account with a role. */
export function createAccount(token: string, body: CreateAgent): Promise<Agent> {
  return call('/v1/agents', { method: 'POST', token, body: JSON.stringify(body) })
}

/** Changes an account's role, or deactivates (`active: false`) or reactivates it. */
export function updateAccount(token: string, agentId: string, patch: AgentPatch): Promise<Agent> {
  return call(`/v1/agents/${encodeURIComponent(agentId)}`, { method: 'PATCH', token, body: JSON.stringify(patch) })
}

/** The brand's API keys, revoked ones included, without their secrets. */
export function apiKeys(token: string): Promise<ApiKeyList> {
  return call('/v1/keys', { token })
}

/** Creates a key: its secret is in the answer, and only there. */
export function createApiKey(token: string, body: CreateApiKey): Promise<CreatedApiKey> {
  return call('/v1/keys', { method: 'POST', token, body: JSON.stringify(body) })
}

/** A new key with the same name and scopes; the old one keeps working for the relay's default grace. */
export function rotateApiKey(token: string, keyId: string): Promise<CreatedApiKey> {
  return call(`/v1/keys/${encodeURIComponent(keyId)}/rotate`, { method: 'POST', token, body: '{}' })
}

/** Revokes a key at once. */
export async function revokeApiKey(token: string, keyId: string): Promise<void> {
  await call(`/v1/keys/${encodeURIComponent(keyId)}`, { method: 'DELETE', token })
}

/** The brand's sessions that still work, newest first. */
export function sessions(token: string): Promise<SessionList> {
  return call('/v1/sessions', { token })
}

/** Ends a session on every node. */
export async function revokeSession(token: string, sessionId: string): Promise<void> {
  await call(`/v1/sessions/${encodeURIComponent(sessionId)}`, { method: 'DELETE', token })
}

/** A page of the audit log, newest first, narrowed by `q`. */
export function auditLog(token: string, q: AuditQuery): Promise<AuditPage> {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v !== undefined) p.set(k, String(v))
  return call(`/v1/audit?${p}`, { token })
}

