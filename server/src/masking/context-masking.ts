import { VisitorContext } from '@parley/sdk/contract'
import type { Masker } from '@parley/sdk/masking'

// What a visitor's page tells the relay besides messages: its address, title, referrer (query
// strings carry e-mails and tokens), browser details and the values the brand's page set with
// Parley('set'). A raw WebSocket client can put anything in any of them, so every text field and
// every value (numbers too) is masked like messages before it is stored or shown to an agent.

type ContextValues = NonNullable<VisitorContext['values']>

/**
 * Every text field of the context with the longest text its schema allows, read from the schema so
 * a field added to VisitorContext is masked without a change here. A replacement can be longer
 * than what it hides; the masked text is cut to that bound.
 */
const TEXT_FIELDS: readonly (readonly [keyof VisitorContext, number])[] = Object.entries(VisitorContext.properties)
  .filter(([, schema]) => (schema as { type?: unknown }).type === 'string')
  .map(([name, schema]) => [name as keyof VisitorContext, (schema as { maxLength?: number }).maxLength ?? 2048] as const)

/** The longest text a value may hold (the schema's bound for string values). */
const MAX_VALUE_LENGTH = 256

/**
 * `context` with every text field masked, every `values` entry masked (a number as its decimal
 * text, kept as the masked text when masking changes it) and every `values` key that masking would
 * change dropped; the same object when nothing changed.
 */
export function maskContext(masker: Masker, context: VisitorContext): VisitorContext {
  if (!masker.active) return context
  let out: VisitorContext | null = null
  for (const [field, max] of TEXT_FIELDS) {
    const text = context[field]
    if (typeof text !== 'string') continue
    const masked = masker.mask(text).text
    if (masked !== text) ((out ??= { ...context }) as Record<string, unknown>)[field] = masked.slice(0, max)
  }
  if (context.values) {
    const values = maskValues(masker, context.values)
    if (values !== context.values) (out ??= { ...context }).values = values
  }
  return out ?? context
}

/** `values` masked as maskContext says; the same object when nothing changed. */
function maskValues(masker: Masker, values: ContextValues): ContextValues {
  let out: ContextValues | null = null
  for (const [key, value] of Object.entries(values)) {
    // A key is the brand's name for a value, but a raw client can choose it: one that hides a card
    // number cannot be renamed without clashing, so it goes with its value.
    if (masker.mask(key).text !== key) {
      delete (out ??= { ...values })[key]
      continue
    }
    if (typeof value === 'boolean') continue
    const text = typeof value === 'number' ? String(value) : value
    const masked = masker.mask(text).text
    if (masked !== text) (out ??= { ...values })[key] = masked.slice(0, MAX_VALUE_LENGTH)
  }
  return out ?? values
}
