import type { VisitorContext } from '@parley/sdk/contract'
import type { Masker } from '@parley/sdk/masking'

// What a visitor's page tells the relay besides messages: its address, title and referrer (query
// strings carry e-mails and tokens) and the values the brand's page set with Parley('set'). Masked
// like messages before they are stored or shown to an agent.

/** The longest each masked text field may be (the frame schema's bounds): a replacement can be longer than what it hides. */
const MAX_LENGTH = { url: 2048, title: 512, referrer: 2048 } as const
const MAX_VALUE_LENGTH = 256

/** `context` with its page texts and text values masked; the same object when nothing changed. */
export function maskContext(masker: Masker, context: VisitorContext): VisitorContext {
  if (!masker.active) return context
  let out: VisitorContext | null = null
  for (const field of ['url', 'title', 'referrer'] as const) {
    const text = context[field]
    if (text === undefined) continue
    const masked = masker.mask(text).text
    if (masked !== text) (out ??= { ...context })[field] = masked.slice(0, MAX_LENGTH[field])
  }
  if (context.values) {
    let values: NonNullable<VisitorContext['values']> | null = null
    for (const [key, value] of Object.entries(context.values)) {
      if (typeof value !== 'string') continue
      const masked = masker.mask(value).text
      if (masked !== value) (values ??= { ...context.values })[key] = masked.slice(0, MAX_VALUE_LENGTH)
    }
    if (values) (out ??= { ...context }).values = values
  }
  return out ?? context
}
