import type { Masker } from '@parley/sdk/masking'

// Conversation and message ids are chosen by the client (the widget makes random ones). A raw
// client can choose `4111111111111111`, and an id is stored, logged and fanned out as it is: it
// cannot be masked without breaking what refers to it, so a message whose id hides a value is
// refused. Only the built-in detectors count: a brand pattern written for its own texts (an order
// number, `[A-Za-z0-9]{20,}` for API keys) can match the widget's random ids, and refusing them
// would refuse every message of the brand.

/** The built-in detector that finds a value in `id` (e.g. `card`), or null when it holds none. */
export function valueHiddenInId(masker: Masker, id: string): string | null {
  if (!masker.active) return null
  for (const f of masker.mask(id).findings) if (!f.detector.startsWith('pattern:')) return f.detector
  return null
}
