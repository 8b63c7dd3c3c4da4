import { ACTIONS, roleAllows, scopesAllow, type Action, type Role, type Scope } from '@parley/sdk/contract'

// "May this principal do this to this resource": the one answer, for REST and WebSocket alike. Pure:
// the caller reads the facts (the principal from its credential, the conversation's owner and
// whether the agent takes part in it) and asks; a denial names its code and is audited by the
// caller's edge (plugins/auth.ts for REST, relay/authorize.ts for frames). The table of roles and
// scopes is sdk/src/contract/access.ts; this module adds what depends on the resource.

/** Who a request or connection speaks for. */
export type Principal =
  /** One of the brand's API keys. */
  | { kind: 'brand'; brandId: string; keyId: string; scopes: readonly Scope[] }
  /** A signed-in agent account, through one of its sessions. */
  | { kind: 'agent'; brandId: string; agentId: string; role: Role; sessionId: string }
  /** A visitor of the brand's site (verified when the brand signed their identity). */
  | { kind: 'visitor'; brandId: string; visitorId: string; customerId?: string }

/** What the policy needs to know of a conversation an action touches. */
export interface ConversationResource {
  convId: string
  visitorId: string
  /** The agent asking takes part in it now or did before (accepted, was handed, joined, wrote). */
  tookPart: boolean
  /** Open and held by nobody: in the queue, where every agent may see it to take it. */
  waiting: boolean
  /**
   * Its visitor is a customer the brand verified and the asking agent serves (takes part in one of
   * that visitor's conversations): the customer's history, readable with customer.history.
   */
  ofServedCustomer: boolean
}

/** The brand's settings the policy reads (security config, defaults filled in). */
export interface PolicySettings {
  agentsSeeCustomerHistory: boolean
}

/** Why the policy said no. A visitor asking about another's conversation finds it not found. */
export type Denial =
  | { code: 'PARLEY_ERR_AUTH_ROLE'; args: [role: Role, action: Action] }
  | { code: 'PARLEY_ERR_AUTH_SCOPE'; args: [scope: string] }
  | { code: 'PARLEY_ERR_AUTH_NOT_PARTICIPANT'; args: [convId: string] }
  | { code: 'PARLEY_ERR_AUTH_FORBIDDEN'; args: [what: string] }
  | { code: 'PARLEY_ERR_CONV_NOT_FOUND'; args: [convId: string] }

/** The policy's answer: null when allowed. */
export type Decision = Denial | null

const DEFAULT_SETTINGS: PolicySettings = { agentsSeeCustomerHistory: false }

/**
 * Whether `p` may do `action` (to `conversation`, for conversation.read): null when it may, else
 * the denial. Without a conversation only the role or scope is checked.
 */
export function decide(p: Principal, action: Action, conversation?: ConversationResource | null, settings: PolicySettings = DEFAULT_SETTINGS): Decision {
  if (p.kind === 'visitor') {
    // A visitor reads their own conversations and does nothing else the table names.
    if (action === 'conversation.read' && conversation) {
      return conversation.visitorId === p.visitorId ? null : { code: 'PARLEY_ERR_CONV_NOT_FOUND', args: [conversation.convId] }
    }
    return { code: 'PARLEY_ERR_AUTH_FORBIDDEN', args: [action] }
  }
  if (p.kind === 'brand') {
    return scopesAllow(p.scopes, action) ? null : { code: 'PARLEY_ERR_AUTH_SCOPE', args: [ACTIONS[action].scope ?? action] }
  }
  const allowed = roleAllows(p.role, action) || (action === 'customer.history' && settings.agentsSeeCustomerHistory)
  if (!allowed) return { code: 'PARLEY_ERR_AUTH_ROLE', args: [p.role, action] }
  if (action === 'conversation.read' && conversation && !seesEveryConversation(p)) {
    if (conversation.tookPart || conversation.waiting) return null
    if (conversation.ofServedCustomer && mayReadCustomerHistory(p, settings)) return null
    return { code: 'PARLEY_ERR_AUTH_NOT_PARTICIPANT', args: [conversation.convId] }
  }
  return null
}

/**
 * Whether the agent may read the history of a customer they serve: with the role that has
 * customer.history, or when the brand lets every agent (agentsSeeCustomerHistory). Which customers
 * those are is a fact of the conversation (ConversationResource.ofServedCustomer) or of the listing.
 */
export function mayReadCustomerHistory(p: Principal & { kind: 'agent' }, settings: PolicySettings): boolean {
  return roleAllows(p.role, 'customer.history') || settings.agentsSeeCustomerHistory
}

/** Whether the principal reads every conversation of the brand (supervisors, admins, keys with transcripts:read). */
export function seesEveryConversation(p: Principal): boolean {
  if (p.kind === 'agent') return roleAllows(p.role, 'conversation.reassign')
  if (p.kind === 'brand') return scopesAllow(p.scopes, 'conversation.read')
  return false
}

/** Which conversations a listing or search by `p` may return. */
export type ListingScope =
  | { kind: 'all' }
  /** Only those the agent takes or took part in. */
  | { kind: 'participant'; agentId: string }
  /** Only the visitor's own. */
  | { kind: 'visitor'; visitorId: string }

/**
 * The listing scope of a principal already allowed conversation.search (or a visitor listing their
 * own). `customerHistory`: the listing names one visitor who is a customer the agent serves, and
 * the agent may read such a history (mayReadCustomerHistory): that visitor's conversations, all.
 */
export function listingScope(p: Principal, customerHistory = false): ListingScope {
  if (p.kind === 'visitor') return { kind: 'visitor', visitorId: p.visitorId }
  if (p.kind === 'agent' && !seesEveryConversation(p) && !customerHistory) return { kind: 'participant', agentId: p.agentId }
  return { kind: 'all' }
}
