import { roleAllows, type Role } from '@parley/sdk/contract'

// Which pages of the console a role sees, from the contract's one table of who may do what
// (access.ts). Hiding is no security (the relay refuses what a role may not do); it keeps an agent
// from pages whose every call the relay would refuse.

/** What the main column shows. */
export type ConsoleView = 'chats' | 'transcripts' | 'rules' | 'reports' | 'canned' | 'floor' | 'admin'

/** The parts of the admin area. */
export type AdminPart = 'accounts' | 'keys' | 'sessions' | 'audit'

/** The role assumed until the relay says: the least one, so nothing shows that might be refused. */
export const LEAST_ROLE: Role = 'agent'

/** Whether `role` sees the main-column view `view`. */
export function showsView(role: Role, view: ConsoleView): boolean {
  switch (view) {
    case 'chats': case 'canned': return roleAllows(role, 'queue.work')
    // The relay narrows an agent's listing to the conversations they took part in.
    case 'transcripts': return roleAllows(role, 'conversation.search')
    case 'rules': case 'reports': case 'floor': return roleAllows(role, 'reports.read')
    case 'admin': return adminParts(role).length > 0
  }
}

/** The views `role` sees, in the sidebar's order. */
export function viewsFor(role: Role): ConsoleView[] {
  return (['chats', 'floor', 'transcripts', 'rules', 'reports', 'canned', 'admin'] as const).filter((v) => showsView(role, v))
}

/** The parts of the admin area `role` may use (none: no admin area). */
export function adminParts(role: Role): AdminPart[] {
  const parts: AdminPart[] = []
  if (roleAllows(role, 'accounts.manage')) parts.push('accounts')
  if (roleAllows(role, 'keys.manage')) parts.push('keys')
  if (roleAllows(role, 'accounts.manage')) parts.push('sessions')
  if (roleAllows(role, 'audit.read')) parts.push('audit')
  return parts
}

/** Whether `role` may add brand-wide canned replies (personal ones every agent may). */
export function managesBrandCanned(role: Role): boolean {
  return roleAllows(role, 'canned.manage')
}
