import { LanguageTag } from '@parley/sdk/contract'

// What a REST caller reads when a body fails its schema. Ajv's own sentence for a refused key of a
// record ("body/texts must NOT have additional properties") neither names the key nor says what a
// key must be; for a record keyed by language tag, say that the key is not a BCP 47 tag. Pure.

/** The parts of one Ajv error this needs (the validator runs with `verbose`, for `parentSchema`). */
export interface ValidationIssue {
  keyword: string
  instancePath: string
  message?: string
  params?: { additionalProperty?: unknown; allowedValue?: unknown }
  parentSchema?: { patternProperties?: Record<string, unknown> } & UnionSchema
  /** The refused value (verbose). */
  data?: unknown
}

/** A schema as Ajv hands it on a verbose issue: only what a union of literals or of tagged objects has. */
interface UnionSchema {
  anyOf?: readonly { const?: unknown; properties?: Record<string, { const?: unknown }> }[]
}

/**
 * A value refused by a union of literals (a fact, an operator) or of objects tagged by one literal
 * field (an action's `type`) fails every member, and Ajv lists each failure, dozens of lines: say
 * instead which value it was and what it may be. The deepest such union is the one the caller got
 * wrong; the allowed values come from the schema, not from the failures.
 */
function notOneOf(context: string, issues: readonly ValidationIssue[]): string | null {
  const unions = issues.filter((i) => i.keyword === 'anyOf').sort((a, b) => b.instancePath.length - a.instancePath.length)
  for (const issue of unions) {
    const members = (issue.parentSchema as UnionSchema | undefined)?.anyOf ?? []
    if (members.length > 1 && members.every((m) => 'const' in m)) {
      return `${context}${issue.instancePath}: ${JSON.stringify(issue.data)?.slice(0, 100)} is not one of ${members.map((m) => String(m.const)).join(', ')}`
    }
    const data = issue.data
    if (typeof data !== 'object' || data === null) continue
    const tag = Object.keys(members[0]?.properties ?? {}).find((k) => members.every((m) => m.properties?.[k] && 'const' in m.properties[k]!))
    if (!tag) continue
    const allowed = members.map((m) => m.properties![tag]!.const)
    const value = (data as Record<string, unknown>)[tag]
    if (!allowed.includes(value)) return `${context}${issue.instancePath}/${tag}: ${JSON.stringify(value)?.slice(0, 100) ?? 'nothing'} is not one of ${allowed.map(String).join(', ')}`
  }
  return null
}

/**
 * The message for a failed validation of `context` ("body", "querystring"), from Fastify's
 * `message` and Ajv's issues (the first, unless a union of literals refused a value).
 */
export function validationMessage(context: string, message: string, issues: readonly ValidationIssue[]): string {
  const union = notOneOf(context, issues)
  if (union) return union
  const issue = issues[0]
  const extra = issue?.params?.additionalProperty
  if (issue?.keyword !== 'additionalProperties' || typeof extra !== 'string') return message
  const key = extra.slice(0, 100)
  if (issue.parentSchema?.patternProperties && LanguageTag.pattern! in issue.parentSchema.patternProperties) {
    return `${context}${issue.instancePath}: '${key}' is not a valid BCP 47 language tag (such as en or pt-BR)`
  }
  return `${message} ('${key}')`
}
