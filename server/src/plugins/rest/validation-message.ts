import { LanguageTag } from '@parley/sdk/contract'

// What a REST caller reads when a body fails its schema. Ajv's own sentence for a refused key of a
// record ("body/texts must NOT have additional properties") neither names the key nor says what a
// key must be; for a record keyed by language tag, say that the key is not a BCP 47 tag. Pure.

/** The parts of one Ajv error this needs (the validator runs with `verbose`, for `parentSchema`). */
export interface ValidationIssue {
  keyword: string
  instancePath: string
  params?: { additionalProperty?: unknown }
  parentSchema?: { patternProperties?: Record<string, unknown> }
}

/** The message for a failed validation of `context` ("body", "querystring"), from Fastify's `message` and Ajv's first issue. */
export function validationMessage(context: string, message: string, issue: ValidationIssue | undefined): string {
  const extra = issue?.params?.additionalProperty
  if (issue?.keyword !== 'additionalProperties' || typeof extra !== 'string') return message
  const key = extra.slice(0, 100)
  if (issue.parentSchema?.patternProperties && LanguageTag.pattern! in issue.parentSchema.patternProperties) {
    return `${context}${issue.instancePath}: '${key}' is not a valid BCP 47 language tag (such as en or pt-BR)`
  }
  return `${message} ('${key}')`
}
