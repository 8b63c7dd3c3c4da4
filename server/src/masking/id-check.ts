import type { RelayMasker } from '@parley/sdk/masking'

// Conversation and message ids are chosen by the client (the widget makes random ones). A raw
// client can choose `4111111111111111`, and an id is stored, logged and fanned out as it is: it
// cannot be masked without breaking what refers to it, so a message whose id hides a value is
// refused. Only the built-in detectors count (RelayMasker.hiddenInId says why).

/** The built-in detector that finds a value in `id` (e.g. `card`), or null when it holds none. */
export function valueHiddenInId(masker: RelayMasker, id: string): string | null {
  return masker.active ? masker.hiddenInId(id) : null
}
