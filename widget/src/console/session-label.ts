// A session's short name in Admin › Sessions: two sessions of one agent otherwise read alike (same
// name, often the same browser). The id's first characters after its `s_` prefix tell them apart,
// as a short commit hash does. Pure.

/** `s_4kQ9xZ…` → `4kQ9xZ`: the first six characters of the id after its prefix. */
export function shortSessionId(sessionId: string): string {
  return sessionId.replace(/^s_/, '').slice(0, 6)
}
