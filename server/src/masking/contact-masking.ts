import type { OfflineContact } from '@parley/sdk/contract'
import type { Masker } from '@parley/sdk/masking'

// The contact an offline form leaves is stored and shown to agents like a message, so it is masked
// like one: a card number typed as the name must not reach the console. The e-mail address is the
// point of the form, so the e-mail detector must not erase it: each side of its last `@` is masked
// on its own (neither holds an `@`, so the e-mail detector finds nothing there) and a card number
// or phone number in the local part is still masked.

/** Longest name the offline form takes (OfflineMessage.name); a longer replacement is cut to it. */
const MAX_NAME_LENGTH = 128
/** Longest e-mail address the form takes. */
const MAX_EMAIL_LENGTH = 254

/** `contact` with its name and e-mail masked by `masker`, the e-mail address itself kept. */
export function maskContact(masker: Masker, contact: OfflineContact): OfflineContact {
  if (!masker.active) return contact
  const email = maskEmailAddress(masker, contact.email)
  return { name: masker.mask(contact.name).text.slice(0, MAX_NAME_LENGTH), email: email.slice(0, MAX_EMAIL_LENGTH) }
}

/** An e-mail address masked on each side of its last `@`, so the address itself is kept (a text without `@` is masked whole). */
export function maskEmailAddress(masker: Masker, email: string): string {
  const at = email.lastIndexOf('@')
  return at < 0
    ? masker.mask(email).text
    : `${masker.mask(email.slice(0, at)).text}@${masker.mask(email.slice(at + 1)).text}`
}
