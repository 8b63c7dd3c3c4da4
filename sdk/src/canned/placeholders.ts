// Placeholders in a canned reply's text: `{visitor.name}`, `{visitor.email}`, `{agent.name}`,
// `{agent.firstName}`, each with an optional fallback after `|` (`{visitor.name|there}`).
// One pass over the reply's text: a value is inserted as it is and never read again, so a visitor
// who calls themselves `{agent.name}` is greeted by that text, not by the agent's name.

/** What the console knows when it inserts a reply; a missing or blank value uses the fallback. */
export interface PlaceholderValues {
  visitor?: { name?: string | undefined; email?: string | undefined }
  agent?: { name?: string | undefined }
}

/** The placeholders a reply may hold, for help texts and the management view. */
export const CANNED_PLACEHOLDERS = ['visitor.name', 'visitor.email', 'agent.name', 'agent.firstName'] as const

const PLACEHOLDER = /\{([A-Za-z]+\.[A-Za-z]+)(?:\|([^{}|]*))?\}/g

function valueOf(key: string, values: PlaceholderValues): string | undefined | null {
  switch (key) {
    case 'visitor.name': return values.visitor?.name
    case 'visitor.email': return values.visitor?.email
    case 'agent.name': return values.agent?.name
    case 'agent.firstName': return values.agent?.name?.trim().split(/\s+/)[0]
    default: return null
  }
}

/**
 * `text` with its placeholders filled in from `values`, as plain text. An unknown placeholder is
 * left as typed; so is a known one with no value and no fallback, so the agent sees the gap in the
 * composer before sending rather than a greeting with a hole in it.
 */
export function fillPlaceholders(text: string, values: PlaceholderValues): string {
  return text.replace(PLACEHOLDER, (whole, key: string, fallback: string | undefined) => {
    const value = valueOf(key, values)
    if (value === null) return whole
    const given = value?.trim()
    if (given) return given
    return fallback !== undefined ? fallback : whole
  })
}
